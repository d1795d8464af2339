package dev.taskflow.web;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a request body into a JSON tree, refusing what is not acceptable before any field is looked
 * at: a wrong media type (415), a body over the limit by its {@code Content-Length} or by the bytes
 * actually sent (413), text that is not JSON (400), and JSON beyond the parser's limits or with
 * duplicate keys, NUL characters or fractional numbers outside the range of a double (422). Numbers
 * are kept exactly as sent (floats are read as {@link BigDecimal}). Every refusal names the place
 * in the body.
 */
public final class RequestBodies {
  /** The longest number accepted, in characters. */
  public static final int MAX_NUMBER_LENGTH = 1000;

  /** The longest property name accepted, in characters. */
  public static final int MAX_NAME_LENGTH = 1024;

  private static final int MAX_NUL_ERRORS = 20;

  private final int maxBodyBytes;
  private final int maxJsonDepth;
  private final JsonFactory parsers;
  private final JsonMapper mapper = ApiJson.mapper();

  /** A reader with {@code config}'s body size and nesting limits. */
  public RequestBodies(WebConfig config) {
    this.maxBodyBytes = config.maxBodyBytes();
    this.maxJsonDepth = config.maxJsonDepth();
    StreamReadConstraints limits =
        StreamReadConstraints.builder()
            .maxNestingDepth(config.maxJsonDepth())
            .maxNumberLength(MAX_NUMBER_LENGTH)
            .maxStringLength(config.maxBodyBytes())
            .maxNameLength(MAX_NAME_LENGTH)
            .maxDocumentLength(config.maxBodyBytes())
            .build();
    // The parser holds the request's limits; the tree is the one mapper's (ApiJson.mapper()),
    // which keeps every number as sent: 1.00000000000000000000001 must not become 1.0.
    this.parsers =
        JsonFactory.builder()
            .streamReadConstraints(limits)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
  }

  /** The mapper the trees are built with ({@link ApiJson#mapper()}); it serialises {@code args}. */
  public JsonMapper mapper() {
    return mapper;
  }

  private JsonParser parser(byte[] bytes, int length) {
    return parsers.createParser(ObjectReadContext.empty(), bytes, 0, length);
  }

  /** The body of a POST as a JSON tree. */
  public JsonNode read(Context ctx) {
    requireJson(ctx.header("Content-Type"));
    return parse(readBytes(ctx));
  }

  /**
   * Refuses (415) any media type but {@code application/json}, and any charset but UTF-8.
   *
   * @throws Problem 415
   */
  public static void requireJson(String contentType) {
    if (contentType == null) throw Problem.unsupportedMediaType(null);
    String[] parts = contentType.split(";");
    if (!parts[0].trim().toLowerCase(Locale.ROOT).equals("application/json")) {
      throw Problem.unsupportedMediaType(contentType);
    }
    for (int i = 1; i < parts.length; i++) {
      String[] kv = parts[i].split("=", 2);
      String name = kv[0].trim().toLowerCase(Locale.ROOT);
      String value = kv.length > 1 ? kv[1].trim().replace("\"", "") : "";
      if (name.equals("charset") && !value.equalsIgnoreCase("utf-8")) {
        throw Problem.unsupportedMediaType(contentType);
      }
    }
  }

  private byte[] readBytes(Context ctx) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > maxBodyBytes) {
      if (declared <= drainLimit()) drain(ctx);
      throw Problem.tooLarge(maxBodyBytes, declared + " bytes");
    }
    try (InputStream in = ctx.req().getInputStream()) {
      byte[] bytes = in.readNBytes(maxBodyBytes + 1);
      if (bytes.length > maxBodyBytes) {
        drain(ctx);
        throw Problem.tooLarge(maxBodyBytes, "larger than that");
      }
      return bytes;
    } catch (IOException e) {
      throw Problem.malformed("", "the body could not be read: " + e.getMessage());
    }
  }

  /**
   * How much of a too-large body is read and thrown away before the 413 is sent: a client still
   * sending when the server closes the connection gets a reset instead of the answer, so a body up
   * to a few times the limit is consumed first; beyond that the connection is closed after the 413.
   */
  private long drainLimit() {
    return Math.max(4L * maxBodyBytes, 8L << 20);
  }

  private void drain(Context ctx) {
    try {
      InputStream in = ctx.req().getInputStream();
      byte[] sink = new byte[64 * 1024];
      long left = drainLimit();
      for (int n; left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0; ) {
        left -= n;
      }
    } catch (IOException e) {
      // the client gave up sending; the 413 is still the answer
    }
  }

  /**
   * Bytes of JSON (a body, or a WebSocket message) as a tree, checked as the class says.
   *
   * @throws Problem 400 or 422 naming the place
   */
  public JsonNode parse(byte[] bytes) {
    requireStrictUtf8(bytes);
    JsonNode tree;
    try (JsonParser p = parser(bytes, bytes.length)) {
      try {
        tree = mapper.readTree(p);
        if (tree != null && !tree.isMissingNode() && p.nextToken() != null) {
          throw Problem.malformed(
              "", "unexpected content after the JSON value at column " + column(p));
        }
      } catch (StreamConstraintsException e) {
        throw Problem.invalid(limitError(pointer(p), e));
      } catch (NumberFormatException | ArithmeticException e) { // 1e2147483648: no BigDecimal
        throw Problem.invalid(
            FieldError.at(
                pointer(p),
                "number_range",
                "a number's exponent is beyond what any number can hold"));
      } catch (JacksonException e) {
        String msg =
            withoutParserSettings(
                e.getOriginalMessage() == null ? e.toString() : e.getOriginalMessage());
        if (msg.startsWith("Duplicate")) {
          throw Problem.invalid(
              FieldError.at(pointer(p), "duplicate_key", ProblemMapper.shorten(msg)));
        }
        String where =
            e.getLocation() == null
                ? ""
                : " (line "
                    + e.getLocation().getLineNr()
                    + ", column "
                    + e.getLocation().getColumnNr()
                    + ")";
        throw Problem.malformed(pointer(p), ProblemMapper.shorten(msg) + where);
      }
    }
    if (tree == null || tree.isMissingNode()) {
      throw Problem.malformed("", "the body is empty; send a JSON object");
    }
    String surrogate = findLoneSurrogate(tree, "");
    if (surrogate != null) {
      throw Problem.malformed(
          surrogate,
          "lone_surrogate",
          "a string holds an unpaired UTF-16 surrogate (such as \\ud800), which is not a"
              + " character");
    }
    List<FieldError> nul = new ArrayList<>();
    findNul(tree, "", nul);
    findOutOfRange(tree, "", nul);
    if (!nul.isEmpty()) throw Problem.invalid(nul);
    return tree;
  }

  /**
   * Refuses bytes that are not well-formed UTF-8 (RFC 3629): overlong forms such as {@code C0 AF},
   * code points above U+10FFFF, encoded surrogates and truncated sequences, which the JSON parser
   * would let through or turn into other characters. The pointer names the value holding them.
   */
  private void requireStrictUtf8(byte[] bytes) {
    if (isAscii(bytes)) return; // the common body: nothing the parser could misread
    CharsetDecoder strict =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    try {
      strict.decode(in);
    } catch (CharacterCodingException e) {
      int at = in.position(); // the decoder stops at the first bad sequence
      throw Problem.malformed(
          pointerBefore(bytes, at),
          "invalid_utf8",
          "the body is not valid UTF-8 at byte " + at + " (overlong, out of range or truncated)");
    }
  }

  private static boolean isAscii(byte[] bytes) {
    for (byte b : bytes) if (b < 0) return false;
    return true;
  }

  /** The pointer of the value the parser is in when it reaches byte {@code end}. */
  private String pointerBefore(byte[] bytes, int end) {
    try (JsonParser p = parser(bytes, end)) {
      try {
        while (p.nextToken() != null) {
          // read up to the bad byte
        }
      } catch (JacksonException e) {
        // the cut ends inside the value: its pointer is the one wanted
      }
      return pointer(p);
    } catch (JacksonException e) {
      return "";
    }
  }

  /** The pointer of the first string or key holding an unpaired surrogate, or null. */
  private static String findLoneSurrogate(JsonNode node, String at) {
    if (node.isString()) return hasLoneSurrogate(node.stringValue()) ? at : null;
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        // a bad key cannot be written back in a pointer: name the object that holds it
        if (hasLoneSurrogate(e.getKey())) return at;
        String found = findLoneSurrogate(e.getValue(), FieldError.child(at, e.getKey()));
        if (found != null) return found;
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        String found = findLoneSurrogate(node.get(i), FieldError.child(at, i));
        if (found != null) return found;
      }
    }
    return null;
  }

  static boolean hasLoneSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) i++;
        else return true;
      } else if (Character.isLowSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  private static long column(JsonParser p) {
    return p.currentLocation().getColumnNr();
  }

  private static String pointer(JsonParser p) {
    try {
      return p.streamReadContext().pathAsPointer().toString();
    } catch (RuntimeException e) {
      return "";
    }
  }

  /**
   * A parser message without the parser's own settings in it ({@code enable
   * `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow}, {@code Feature 'ALLOW_COMMENTS' not
   * enabled}): they are how to loosen our parser, not how to fix the request.
   */
  static String withoutParserSettings(String msg) {
    return msg.replaceAll("[:;,]?\\s*enable `[^`]*` to allow", "")
        .replaceAll("\\s*\\([^()]*(?:Feature|Constraints)[^()]*\\)", "")
        .replaceAll("\\s*`[^`]*(?:Feature|Constraints)[^`]*`", "")
        .trim();
  }

  private FieldError limitError(String pointer, StreamConstraintsException e) {
    String m = String.valueOf(e.getOriginalMessage()).toLowerCase(Locale.ROOT);
    if (m.contains("nesting depth")) {
      return FieldError.at(
          pointer, "max_depth", "the JSON nests deeper than " + maxJsonDepth + " levels");
    }
    if (m.contains("number value length")) {
      return FieldError.at(
          pointer,
          "number_too_long",
          "a number is longer than " + MAX_NUMBER_LENGTH + " characters");
    }
    if (m.contains("name length")) {
      return FieldError.at(
          pointer, "name_too_long", "a key is longer than " + MAX_NAME_LENGTH + " characters");
    }
    if (m.contains("string value length")) {
      return FieldError.at(pointer, "string_too_long", "a string is longer than the body limit");
    }
    return FieldError.at(pointer, "limit", "the JSON exceeds a parser limit");
  }

  private static final BigDecimal MAX_DOUBLE = new BigDecimal(Double.MAX_VALUE);
  private static final BigDecimal MIN_DOUBLE = new BigDecimal(Double.MIN_VALUE);

  /**
   * A fractional number beyond what a double holds (1e400, 1e-400) would turn into Infinity or 0 in
   * any handler that reads it as a double, and stores may expand it into a long digit string: it is
   * refused rather than stored.
   */
  private static void findOutOfRange(JsonNode node, String at, List<FieldError> errors) {
    if (errors.size() >= MAX_NUL_ERRORS) return;
    if (node.isBigDecimal()) {
      BigDecimal v = node.decimalValue().abs();
      if (v.signum() != 0 && (v.compareTo(MAX_DOUBLE) > 0 || v.compareTo(MIN_DOUBLE) < 0)) {
        errors.add(
            FieldError.at(
                at,
                "number_range",
                "a fractional number must be 0 or between "
                    + Double.MIN_VALUE
                    + " and "
                    + Double.MAX_VALUE
                    + " in magnitude"));
      }
    } else if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        findOutOfRange(e.getValue(), FieldError.child(at, e.getKey()), errors);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        findOutOfRange(node.get(i), FieldError.child(at, i), errors);
      }
    }
  }

  /** NUL characters break stores and logs; they are refused in every string and key. */
  private static void findNul(JsonNode node, String at, List<FieldError> errors) {
    if (errors.size() >= MAX_NUL_ERRORS) return;
    if (node.isString()) {
      if (node.stringValue().indexOf('\0') >= 0) {
        errors.add(FieldError.at(at, "nul_character", "the string contains a NUL character"));
      }
    } else if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        String child = FieldError.child(at, e.getKey());
        if (e.getKey().indexOf('\0') >= 0) {
          errors.add(FieldError.at(child, "nul_character", "the key contains a NUL character"));
        }
        findNul(e.getValue(), child, errors);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) findNul(node.get(i), FieldError.child(at, i), errors);
    }
  }
}
