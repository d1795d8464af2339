package dev.taskflow.server;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small client of HTTP API v1 for the CLI, on the JDK's HttpClient. */
final class ApiClient {
  static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final URI base;
  private final HttpClient http;

  /**
   * @param serverUrl the server's root, e.g. {@code http://127.0.0.1:8080}
   * @throws IllegalArgumentException when it is not an http(s) URL
   */
  ApiClient(String serverUrl) {
    URI uri;
    try {
      uri = URI.create(serverUrl.endsWith("/") ? serverUrl : serverUrl + "/");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--url is not a URL: '" + serverUrl + "'");
    }
    if (uri.getHost() == null
        || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
      throw new IllegalArgumentException(
          "--url must look like http://127.0.0.1:8080, was '" + serverUrl + "'");
    }
    this.base = uri.resolve("api/v1/");
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** POSTs a JSON body to a path under {@code /api/v1/}; returns the JSON response. */
  JsonNode post(String path, JsonNode body) throws ApiException {
    return send(
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
  }

  /** PUTs a JSON body to a path under {@code /api/v1/}; returns the JSON response. */
  JsonNode put(String path, JsonNode body) throws ApiException {
    return send(
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
  }

  /** PATCHes a JSON body to a path under {@code /api/v1/}; returns the JSON response. */
  JsonNode patch(String path, JsonNode body) throws ApiException {
    return send(
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/json")
            .method("PATCH", HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
  }

  /** DELETEs a path under {@code /api/v1/} (the answer may have no body). */
  void delete(String path) throws ApiException {
    send(HttpRequest.newBuilder(base.resolve(path)).DELETE(), true);
  }

  /** GETs a path under {@code /api/v1/} with query parameters (null values are left out). */
  JsonNode get(String path, Map<String, String> query) throws ApiException {
    StringJoiner q = new StringJoiner("&", "?", "").setEmptyValue("");
    new LinkedHashMap<>(query)
        .forEach(
            (k, v) -> {
              if (v != null) q.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
            });
    return send(HttpRequest.newBuilder(base.resolve(path + q)).GET());
  }

  private JsonNode send(HttpRequest.Builder request) throws ApiException {
    return send(request, false);
  }

  private JsonNode send(HttpRequest.Builder request, boolean noContentOk) throws ApiException {
    HttpRequest req = request.timeout(REQUEST_TIMEOUT).header("Accept", "application/json").build();
    HttpResponse<String> res;
    try {
      res = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (ConnectException e) {
      throw new ApiException(
          "cannot reach TaskFlow at "
              + origin()
              + " (connection refused): is `./taskflow server` running there?");
    } catch (HttpTimeoutException e) {
      throw new ApiException(
          "TaskFlow at "
              + origin()
              + " did not answer "
              + req.method()
              + " "
              + req.uri().getPath()
              + " within "
              + REQUEST_TIMEOUT.toSeconds()
              + " s");
    } catch (IOException e) {
      throw new ApiException(
          "cannot talk to TaskFlow at "
              + origin()
              + ": "
              + e.getClass().getSimpleName()
              + ": "
              + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException("interrupted while waiting for TaskFlow at " + origin());
    }
    JsonNode body = parse(res);
    if (res.statusCode() >= 400) throw ApiException.of(res.statusCode(), req, body, res.body());
    if (body == null && noContentOk && res.statusCode() == 204) return null;
    if (body == null) {
      throw new ApiException(
          "TaskFlow at "
              + origin()
              + " answered "
              + res.statusCode()
              + " without JSON: "
              + abbreviate(res.body()));
    }
    return body;
  }

  private static JsonNode parse(HttpResponse<String> res) {
    String type = res.headers().firstValue("Content-Type").orElse("");
    if (!type.contains("json") || res.body().isEmpty()) return null;
    try {
      return JSON.readTree(res.body());
    } catch (JacksonException e) {
      return null;
    }
  }

  private String origin() {
    return base.resolve("/").toString().replaceAll("/$", "");
  }

  static String abbreviate(String s) {
    String oneLine = s.replaceAll("\\s+", " ").strip();
    return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "…";
  }

  /** The server refused a request, or could not be reached; the message is for a person. */
  static final class ApiException extends Exception {
    ApiException(String message) {
      super(message, null, false, false);
    }

    /**
     * From an error response: an RFC 9457 problem gives its detail and one line per field error
     * ({@code - priority: priority must be -100..100, was 500 [range]}).
     */
    static ApiException of(int status, HttpRequest req, JsonNode problem, String raw) {
      String where = req.method() + " " + req.uri().getPath();
      if (problem == null || !problem.isObject()) {
        return new ApiException(where + " failed with HTTP " + status + ": " + abbreviate(raw));
      }
      StringBuilder sb = new StringBuilder();
      sb.append(text(problem, "title", "HTTP " + status)).append(" (").append(status).append(")");
      String detail = text(problem, "detail", null);
      boolean detailRepeatsAFieldError = false;
      for (JsonNode e : problem.path("errors")) {
        detailRepeatsAFieldError |= String.valueOf(detail).equals(text(e, "message", null));
      }
      if (detail != null && !detailRepeatsAFieldError) sb.append(": ").append(detail);
      for (JsonNode e : problem.path("errors")) {
        String field = text(e, "pointer", text(e, "parameter", "?"));
        sb.append(System.lineSeparator())
            .append("  - ")
            .append(field.startsWith("/") ? field.substring(1) : field)
            .append(": ")
            .append(text(e, "message", ""));
        String code = text(e, "code", null);
        if (code != null) sb.append(" [").append(code).append("]");
      }
      return new ApiException(sb.toString());
    }

    private static String text(JsonNode n, String field, String dflt) {
      JsonNode v = n.get(field);
      return v == null || v.isNull() ? dflt : v.asString();
    }
  }
}
