package dev.taskflow.server.demo;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A toy text embedding with the shape of a real one: the character trigrams of the lowercased text,
 * hashed (FNV-1a) into 64 signed buckets and L2-normalised. The same text gives the same vector on
 * every JVM, and texts that share trigrams point in similar directions.
 */
public final class Embeddings {
  public static final int DIMENSIONS = 64;

  private Embeddings() {}

  /** The result of {@code demo.embed}: {@code {"dimensions":64,"embedding":[...]}}. */
  public record Embedding(int dimensions, double[] embedding) {}

  public static Embedding embed(String text) {
    return new Embedding(DIMENSIONS, vector(text));
  }

  /** The unit vector of {@code text}, each component rounded to 6 decimals. */
  public static double[] vector(String text) {
    // Pad so that the first and last characters start and end a trigram of their own.
    int[] cps = (" " + text.toLowerCase(Locale.ROOT) + " ").codePoints().toArray();
    double[] v = new double[DIMENSIONS];
    int grams = Math.max(1, cps.length - 2);
    for (int i = 0; i < grams; i++) {
      String gram = new String(cps, i, Math.min(3, cps.length - i));
      int h = fnv1a(gram.getBytes(StandardCharsets.UTF_8));
      v[Integer.remainderUnsigned(h, DIMENSIONS)] += h < 0 ? -1 : 1;
    }
    double norm = 0;
    for (double x : v) norm += x * x;
    norm = Math.sqrt(norm);
    for (int i = 0; i < v.length; i++) {
      v[i] = norm == 0 ? 0 : Math.round(v[i] / norm * 1e6) / 1e6;
    }
    return v;
  }

  private static int fnv1a(byte[] bytes) {
    int h = 0x811c9dc5;
    for (byte b : bytes) {
      h ^= b & 0xff;
      h *= 0x01000193;
    }
    return h;
  }
}
