package dev.taskflow.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for requests {@link java.net.http.HttpClient} will not send: any
 * {@code Host} (or none), any {@code Origin}, a WebSocket handshake whose answer is read as bytes.
 * Reads the status line and the headers, then the body when it has a {@code Content-Length};
 * streams (SSE, an upgraded WebSocket) are cut off after their headers. Public, in this module's
 * test jar, for the plugins' own boundary tests.
 */
public final class RawHttp {
  private RawHttp() {}

  /** The status, the headers (names lower case) and the body of one response. */
  public record Response(int status, Map<String, String> headers, String body) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
      return status + " " + headers + " " + body;
    }
  }

  /**
   * Sends {@code method path} with the given header lines (each {@code "Name: value"}, sent as
   * written; add your own {@code Host}) and body, with {@code Connection: close}.
   */
  public static Response send(
      int port, String method, String path, String body, String... headerLines) {
    StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
    for (String h : headerLines) head.append(h).append("\r\n");
    byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    if (body != null) head.append("Content-Length: ").append(bytes.length).append("\r\n");
    boolean ownConnection = false;
    for (String h : headerLines)
      ownConnection |= h.toLowerCase(Locale.ROOT).contains("connection:");
    if (!ownConnection) head.append("Connection: close\r\n");
    head.append("\r\n");
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.write(bytes);
      out.flush();
      return read(s.getInputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path + " failed", e);
    }
  }

  /** Writes {@code raw} (request line, headers and body, exactly as given) and reads the answer. */
  public static Response exchange(int port, String raw) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      s.setSoTimeout(10_000);
      s.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      return read(s.getInputStream());
    } catch (IOException e) {
      throw new UncheckedIOException("the exchange failed: " + raw, e);
    }
  }

  private static Response read(InputStream in) throws IOException {
    String status = line(in);
    if (status == null) throw new IOException("the server closed the connection without answering");
    int code = Integer.parseInt(status.split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String l = line(in); l != null && !l.isEmpty(); l = line(in)) {
      int colon = l.indexOf(':');
      headers.put(
          l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
    }
    String length = headers.get("content-length");
    String body = "";
    if (length != null) {
      byte[] b = in.readNBytes(Integer.parseInt(length));
      body = new String(b, StandardCharsets.UTF_8);
    }
    return new Response(code, headers, body);
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') break;
      if (c != '\r') b.write(c);
    }
    if (c < 0 && b.size() == 0) return null;
    return b.toString(StandardCharsets.ISO_8859_1);
  }
}
