package dev.taskflow.web;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Settings of the HTTP API: where it listens and what it accepts. Immutable; build one with {@link
 * #builder()}. Plugins carry their own settings (the dashboard's read-only mode, the webhook
 * policy).
 *
 * {@snippet :
 * WebConfig config = WebConfig.builder().host("0.0.0.0").port(8080).build();
 * }
 *
 * @param host the interface to bind; loopback by default so nothing is exposed by accident
 * @param port the TCP port; 0 picks a free one (read it back with {@link TaskFlowWeb#port()})
 * @param maxBodyBytes the largest request body accepted (413 above it)
 * @param maxJsonDepth the deepest nesting of objects and arrays in a request body (422 above it)
 * @param pingInterval how often an idle SSE stream gets a {@code : ping} comment
 * @param sseBufferEvents events buffered per SSE connection before a slow client is cut off (it
 *     resumes with {@code Last-Event-ID})
 * @param throughputWindow how far back {@code GET /stats} reports completed and failed per second
 * @param maxEventStreams event streams the server keeps open at once: SSE streams, WebSocket
 *     subscriptions and dashboard live streams together (503 or an error frame beyond it)
 * @param maxConcurrentReplays resume replays that read the event log at the same time (others wait
 *     their turn); a replay reads one page at a time with a permit
 * @param replayScanLimit events one resume request reads from the log before it hands the client a
 *     position to resume from (SSE: the stream ends with that id; WebSocket: an error naming it)
 * @param allowedHosts host names (or addresses) the server answers to besides localhost, the
 *     loopback addresses and the address it is bound to; a request naming any other {@code Host} is
 *     refused with 421 (DNS rebinding; see {@code docs/security.md}). Stored lower case, without a
 *     trailing dot.
 */
public record WebConfig(
    String host,
    int port,
    int maxBodyBytes,
    int maxJsonDepth,
    Duration pingInterval,
    int sseBufferEvents,
    Duration throughputWindow,
    int maxEventStreams,
    int maxConcurrentReplays,
    int replayScanLimit,
    Set<String> allowedHosts) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  public static final int DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
  public static final int DEFAULT_MAX_JSON_DEPTH = 64;
  public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(15);
  public static final int DEFAULT_SSE_BUFFER_EVENTS = 1024;
  public static final Duration DEFAULT_THROUGHPUT_WINDOW = Duration.ofMinutes(5);
  public static final int DEFAULT_MAX_EVENT_STREAMS = 1000;
  public static final int DEFAULT_MAX_CONCURRENT_REPLAYS = 4;
  public static final int DEFAULT_REPLAY_SCAN_LIMIT = 100_000;

  public WebConfig {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("web host must not be blank, was '" + host + "'");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("web port must be 0..65535, was " + port);
    }
    if (maxBodyBytes < 1024) {
      throw new IllegalArgumentException("maxBodyBytes must be >= 1024, was " + maxBodyBytes);
    }
    if (maxJsonDepth < 4 || maxJsonDepth > 1000) {
      throw new IllegalArgumentException("maxJsonDepth must be 4..1000, was " + maxJsonDepth);
    }
    if (pingInterval == null || pingInterval.isNegative() || pingInterval.toMillis() < 10) {
      throw new IllegalArgumentException("pingInterval must be >= 10 ms, was " + pingInterval);
    }
    if (sseBufferEvents < 1) {
      throw new IllegalArgumentException("sseBufferEvents must be >= 1, was " + sseBufferEvents);
    }
    if (throughputWindow == null
        || throughputWindow.toSeconds() < 1
        || throughputWindow.toHours() > 24) {
      throw new IllegalArgumentException(
          "throughputWindow must be 1 s..24 h, was " + throughputWindow);
    }
    if (maxEventStreams < 1) {
      throw new IllegalArgumentException("maxEventStreams must be >= 1, was " + maxEventStreams);
    }
    if (maxConcurrentReplays < 1) {
      throw new IllegalArgumentException(
          "maxConcurrentReplays must be >= 1, was " + maxConcurrentReplays);
    }
    if (replayScanLimit < 1) {
      throw new IllegalArgumentException("replayScanLimit must be >= 1, was " + replayScanLimit);
    }
    allowedHosts = normalizeHosts(allowedHosts == null ? Set.of() : allowedHosts);
  }

  /**
   * Checks and normalizes allowed host names: each must be a host name or an IP address (no scheme,
   * port, path or wildcard).
   */
  private static Set<String> normalizeHosts(Collection<String> hosts) {
    Set<String> out = new LinkedHashSet<>();
    for (String h : hosts) {
      if (h == null || h.isBlank()) {
        throw new IllegalArgumentException("an allowed host must not be blank");
      }
      if (h.trim().equals("*")) {
        throw new IllegalArgumentException(
            "allowed host '*' would answer any Host and re-open DNS rebinding; it needs API keys,"
                + " which this server does not have yet: list the names clients use instead");
      }
      BrowserGuard.HostPort hp = BrowserGuard.HostPort.parse(h);
      if (hp == null || hp.port() >= 0) {
        throw new IllegalArgumentException(
            "allowed host '"
                + h
                + "' is not a host name or an IP address (give a name such as jobs.example.com,"
                + " without scheme, port or path; IPv6 in brackets)");
      }
      out.add(hp.host());
    }
    return Set.copyOf(out);
  }

  /**
   * The defaults: 127.0.0.1:8080, 1 MiB bodies, depth 64, ping every 15 s. (The largest {@code
   * args} is the engine's setting, {@code TaskFlowBuilder.maxArgsBytes}, which the API reads from
   * {@code Cluster.maxArgsBytes()}.)
   */
  public static WebConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this config. */
  public Builder toBuilder() {
    return new Builder()
        .host(host)
        .port(port)
        .maxBodyBytes(maxBodyBytes)
        .maxJsonDepth(maxJsonDepth)
        .pingInterval(pingInterval)
        .sseBufferEvents(sseBufferEvents)
        .throughputWindow(throughputWindow)
        .maxEventStreams(maxEventStreams)
        .maxConcurrentReplays(maxConcurrentReplays)
        .replayScanLimit(replayScanLimit)
        .allowedHosts(allowedHosts);
  }

  /** Builds a {@link WebConfig}; every value starts at its {@code DEFAULT_*}. */
  public static final class Builder {
    private String host = DEFAULT_HOST;
    private int port = DEFAULT_PORT;
    private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private int maxJsonDepth = DEFAULT_MAX_JSON_DEPTH;
    private Duration pingInterval = DEFAULT_PING_INTERVAL;
    private int sseBufferEvents = DEFAULT_SSE_BUFFER_EVENTS;
    private Duration throughputWindow = DEFAULT_THROUGHPUT_WINDOW;
    private Set<String> allowedHosts = Set.of();
    private int maxEventStreams = DEFAULT_MAX_EVENT_STREAMS;
    private int maxConcurrentReplays = DEFAULT_MAX_CONCURRENT_REPLAYS;
    private int replayScanLimit = DEFAULT_REPLAY_SCAN_LIMIT;

    private Builder() {}

    public Builder host(String host) {
      this.host = host;
      return this;
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder maxBodyBytes(int maxBodyBytes) {
      this.maxBodyBytes = maxBodyBytes;
      return this;
    }

    public Builder maxJsonDepth(int maxJsonDepth) {
      this.maxJsonDepth = maxJsonDepth;
      return this;
    }

    public Builder pingInterval(Duration pingInterval) {
      this.pingInterval = pingInterval;
      return this;
    }

    public Builder sseBufferEvents(int sseBufferEvents) {
      this.sseBufferEvents = sseBufferEvents;
      return this;
    }

    public Builder throughputWindow(Duration throughputWindow) {
      this.throughputWindow = throughputWindow;
      return this;
    }

    /** Event streams open at once, all kinds together (default 1000). */
    public Builder maxEventStreams(int n) {
      this.maxEventStreams = n;
      return this;
    }

    /** Resume replays reading the log at once (default 4). */
    public Builder maxConcurrentReplays(int n) {
      this.maxConcurrentReplays = n;
      return this;
    }

    /** Events one resume request reads before handing back a position (default 100,000). */
    public Builder replayScanLimit(int n) {
      this.replayScanLimit = n;
      return this;
    }

    /**
     * Host names the server answers to besides localhost, loopback and its bound address (default
     * none), e.g. the public name of a reverse proxy in front of it.
     */
    public Builder allowedHosts(Collection<String> hosts) {
      this.allowedHosts = new LinkedHashSet<>(hosts);
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the setting and its value when one is out of range
     */
    public WebConfig build() {
      return new WebConfig(
          host,
          port,
          maxBodyBytes,
          maxJsonDepth,
          pingInterval,
          sseBufferEvents,
          throughputWindow,
          maxEventStreams,
          maxConcurrentReplays,
          replayScanLimit,
          allowedHosts);
    }
  }
}
