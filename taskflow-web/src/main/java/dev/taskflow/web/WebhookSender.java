package dev.taskflow.web;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.client.BytesRequestContent;
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
 * to addresses that {@link WebhookUrlGuard} checked for this very request (its resolver answers
 * from those and never asks DNS itself), while TLS still verifies the certificate against the host
 * name. The response body is read only up to {@link #MAX_BODY_CHARS}.
 */
final class WebhookSender implements AutoCloseable {
  static final int MAX_BODY_CHARS = 512;

  /** The answer of a receiver: its status, a few headers, the start of its body, how long. */
  record Reply(int status, String location, String retryAfter, String body, long millis) {}

  private final Map<String, List<InetSocketAddress>> pinned = new ConcurrentHashMap<>();
  private final ReentrantLock lock = new ReentrantLock();
  private HttpClient client;

  Reply send(
      WebhookUrlGuard.Checked target, Map<String, String> headers, byte[] body, Duration timeout)
      throws IOException, InterruptedException {
    List<InetSocketAddress> addresses = new ArrayList<>();
    for (InetAddress a : target.addresses()) addresses.add(new InetSocketAddress(a, target.port()));
    pinned.put(key(target.host(), target.port()), List.copyOf(addresses));
    Request request =
        client()
            .newRequest(target.uri())
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
      throw new IOException("no response within " + timeout.toMillis() + " ms", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IOException(cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause);
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

  private static String key(String host, int port) {
    String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    return h.toLowerCase(Locale.ROOT) + ":" + port;
  }

  /** Answers only with addresses the guard checked; a host it did not check does not resolve. */
  private final class PinnedResolver implements SocketAddressResolver {
    @Override
    public void resolve(
        String host, int port, Map<String, Object> context, Promise<List<InetSocketAddress>> p) {
      List<InetSocketAddress> a = pinned.get(key(host, port));
      if (a == null) {
        p.failed(new IOException("no checked address for " + host + ":" + port + "; refused"));
      } else {
        p.succeeded(a);
      }
    }
  }

  @Override
  public void close() {
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
