package dev.taskflow.webhooks;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.Destination;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Sends one webhook request with Jetty's HTTP client: never follows a redirect, and connects only
 * to addresses that {@link WebhookUrlGuard} checked for this very request, while TLS still verifies
 * the certificate against the host name. The response body is read only up to {@link
 * #MAX_BODY_CHARS}.
 *
 * <p>Pinning: each request is tagged with its checked addresses, and Jetty keeps a separate
 * destination (and so a separate connection pool) per host, port and tag. The resolver reads the
 * addresses from the tag of the destination that opens a connection and never asks DNS, so a new
 * connection goes only to the addresses checked for a request with that tag, and a pooled
 * connection is reused only by a request whose check answered the same addresses. Concurrent
 * deliveries to one host with different answers cannot mix them up.
 */
final class WebhookSender implements AutoCloseable {
  static final int MAX_BODY_CHARS = 512;

  /** The answer of a receiver: its status, a few headers, the start of its body, how long. */
  record Reply(int status, String location, String retryAfter, String body, long millis) {}

  /** No answer within the timeout (the whole exchange: connect to the last byte of the body). */
  static final class Timeout extends IOException {
    private final long millis;

    Timeout(long millis, Throwable cause) {
      super("no response within " + millis + " ms", cause);
      this.millis = millis;
    }

    long millis() {
      return millis;
    }
  }

  /** Refused because this server is shutting down: no request was sent. */
  static final class Closed extends IOException {
    Closed() {
      super("the webhook sender is closed (this server is shutting down)");
    }
  }

  /**
   * The tag of a request: the addresses its check allowed, in connect order. Two pins are equal
   * when they allow the same set, so a DNS answer that rotates its order reuses the pooled
   * connections of the same checked addresses instead of opening a new destination each time.
   */
  private record Pin(List<InetSocketAddress> addresses) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Pin p && Set.copyOf(addresses).equals(Set.copyOf(p.addresses));
    }

    @Override
    public int hashCode() {
      return Set.copyOf(addresses).hashCode();
    }
  }

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition idle = lock.newCondition();
  private HttpClient client;
  private int inFlight;
  private boolean closed;

  Reply send(
      WebhookUrlGuard.Checked target, Map<String, String> headers, byte[] body, Duration timeout)
      throws IOException, InterruptedException {
    HttpClient c = enter();
    try {
      return send(c, target, headers, body, timeout);
    } finally {
      leave();
    }
  }

  private Reply send(
      HttpClient c,
      WebhookUrlGuard.Checked target,
      Map<String, String> headers,
      byte[] body,
      Duration timeout)
      throws IOException, InterruptedException {
    List<InetSocketAddress> addresses = new ArrayList<>();
    for (InetAddress a : target.addresses()) addresses.add(new InetSocketAddress(a, target.port()));
    Request request =
        c.newRequest(target.uri())
            .tag(new Pin(List.copyOf(addresses)))
            .method(HttpMethod.POST)
            .followRedirects(false)
            .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
            .body(new BytesRequestContent("application/json", body));
    request.headers(h -> headers.forEach(h::put));
    long start = System.nanoTime();
    InputStreamResponseListener listener = new InputStreamResponseListener();
    request.send(listener);
    try {
      Response response = listener.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      String text;
      try (InputStream in = listener.getInputStream()) {
        byte[] head = in.readNBytes(MAX_BODY_CHARS * 4);
        text = new String(head, StandardCharsets.UTF_8);
        if (text.length() > MAX_BODY_CHARS) text = text.substring(0, MAX_BODY_CHARS) + "…";
      } catch (IOException e) {
        text = "";
      }
      return new Reply(
          response.getStatus(),
          response.getHeaders().get("Location"),
          response.getHeaders().get("Retry-After"),
          text,
          (System.nanoTime() - start) / 1_000_000);
    } catch (TimeoutException e) {
      request.abort(e);
      throw new Timeout(timeout.toMillis(), e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      // Jetty's own request timeout may fire first
      if (cause instanceof TimeoutException) throw new Timeout(timeout.toMillis(), cause);
      throw new IOException(cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause);
    }
  }

  /** The client, counting one more request in flight; refused once closing began. */
  private HttpClient enter() throws IOException {
    lock.lock();
    try {
      if (closed) throw new Closed();
      HttpClient c = client();
      inFlight++;
      return c;
    } finally {
      lock.unlock();
    }
  }

  private void leave() {
    lock.lock();
    try {
      if (--inFlight == 0) idle.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private HttpClient client() {
    lock.lock();
    try {
      if (client == null) {
        ClientConnector connector = new ClientConnector();
        connector.setSslContextFactory(new SslContextFactory.Client()); // verifies host names
        connector.setConnectTimeout(Duration.ofSeconds(10));
        HttpClient c =
            new HttpClient(
                new org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP(connector));
        // daemon threads: a host that never closes the sender can still exit
        org.eclipse.jetty.util.thread.QueuedThreadPool pool =
            new org.eclipse.jetty.util.thread.QueuedThreadPool();
        pool.setDaemon(true);
        pool.setName("taskflow-webhooks");
        c.setExecutor(pool);
        c.setScheduler(
            new org.eclipse.jetty.util.thread.ScheduledExecutorScheduler(
                "taskflow-webhooks-timer", true));
        c.setFollowRedirects(false);
        // a destination per checked address set: drop the idle ones
        c.setDestinationIdleTimeout(Duration.ofMinutes(2).toMillis());
        c.setSocketAddressResolver(new PinnedResolver());
        c.setUserAgentField(
            new org.eclipse.jetty.http.HttpField("User-Agent", "TaskFlow-Webhooks/1"));
        try {
          c.start();
        } catch (Exception e) {
          throw new IllegalStateException("cannot start the webhook HTTP client: " + e, e);
        }
        client = c;
      }
      return client;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Answers only with the addresses in the tag of the destination that opens the connection; a
   * destination without one (a request this class did not tag) does not resolve.
   */
  private static final class PinnedResolver implements SocketAddressResolver {
    @Override
    public void resolve(
        String host, int port, Map<String, Object> context, Promise<List<InetSocketAddress>> p) {
      Object d = context.get(Destination.CONTEXT_KEY);
      if (d instanceof Destination dest && dest.getOrigin().getTag() instanceof Pin pin) {
        p.succeeded(pin.addresses());
      } else {
        p.failed(new IOException("no checked address for " + host + ":" + port + "; refused"));
      }
    }
  }

  @Override
  public void close() {
    close(Duration.ZERO);
  }

  /**
   * Refuses new requests, lets the ones in flight finish for up to {@code wait} (so a delivery the
   * receiver already got is not aborted and sent again by another server), then stops the client.
   */
  void close(Duration wait) {
    lock.lock();
    try {
      closed = true;
      long left = wait.toNanos();
      while (inFlight > 0 && left > 0) left = idle.awaitNanos(left);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
    lock.lock();
    try {
      if (client != null) {
        try {
          client.stop();
        } catch (Exception e) {
          // closing: nothing left to do with a client that will not stop cleanly
        }
        client = null;
      }
    } finally {
      lock.unlock();
    }
  }
}
