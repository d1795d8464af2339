package dev.taskflow.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits a migration script into statements at top-level semicolons. It knows enough SQL not to
 * split inside quotes ({@code '..'}, {@code ".."}, PostgreSQL {@code $tag$..$tag$}), comments, or
 * the body of a {@code CREATE TRIGGER .. BEGIN .. END}, where semicolons end inner statements.
 */
final class SqlScript {
  private SqlScript() {}

  static List<String> split(String script) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean trigger = false; // the current statement is a CREATE TRIGGER
    boolean sawCode = false; // the current statement has more than whitespace and comments
    int depth = 0; // BEGIN/CASE .. END nesting inside a trigger
    List<String> leadingWords = new ArrayList<>();
    int i = 0;
    int n = script.length();
    while (i < n) {
      char ch = script.charAt(i);
      if (ch == '-' && i + 1 < n && script.charAt(i + 1) == '-') {
        int end = script.indexOf('\n', i);
        end = end < 0 ? n : end;
        current.append(script, i, end);
        i = end;
      } else if (ch == '/' && i + 1 < n && script.charAt(i + 1) == '*') {
        int end = script.indexOf("*/", i + 2);
        end = end < 0 ? n : end + 2;
        current.append(script, i, end);
        i = end;
      } else if (ch == '\'' || ch == '"') {
        int end = i + 1;
        while (end < n) {
          if (script.charAt(end) == ch) {
            if (end + 1 < n && script.charAt(end + 1) == ch) {
              end += 2; // doubled quote inside the literal
              continue;
            }
            break;
          }
          end++;
        }
        end = Math.min(n, end + 1);
        current.append(script, i, end);
        sawCode = true;
        i = end;
      } else if (ch == '$' && dollarTag(script, i) != null) {
        String tag = dollarTag(script, i);
        int close = script.indexOf(tag, i + tag.length());
        int end = close < 0 ? n : close + tag.length();
        current.append(script, i, end);
        sawCode = true;
        i = end;
      } else if (Character.isLetter(ch) || ch == '_') {
        int end = i;
        while (end < n
            && (Character.isLetterOrDigit(script.charAt(end)) || script.charAt(end) == '_')) {
          end++;
        }
        String word = script.substring(i, end).toUpperCase(Locale.ROOT);
        if (leadingWords.size() < 3) {
          leadingWords.add(word);
          trigger =
              leadingWords.size() >= 2
                  && leadingWords.get(0).equals("CREATE")
                  && (leadingWords.contains("TRIGGER"));
        }
        if (trigger) {
          if (word.equals("BEGIN") || word.equals("CASE")) depth++;
          if (word.equals("END")) depth--;
        }
        current.append(script, i, end);
        sawCode = true;
        i = end;
      } else if (ch == ';' && depth <= 0) {
        if (sawCode) out.add(current.toString().strip());
        current.setLength(0);
        trigger = false;
        sawCode = false;
        depth = 0;
        leadingWords.clear();
        i++;
      } else {
        current.append(ch);
        if (!Character.isWhitespace(ch)) sawCode = true;
        i++;
      }
    }
    if (sawCode) out.add(current.toString().strip());
    return out;
  }

  /** The {@code $tag$} opening at {@code i}, or null when none does. */
  private static String dollarTag(String s, int i) {
    int j = i + 1;
    while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
      if (j == i + 1 && Character.isDigit(s.charAt(j))) return null; // $1 is a parameter
      j++;
    }
    return j < s.length() && s.charAt(j) == '$' ? s.substring(i, j + 1) : null;
  }
}
