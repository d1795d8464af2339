package dev.taskflow.jdbc;

import dev.taskflow.Webhook;
import dev.taskflow.spi.JobCodec;
import dev.taskflow.spi.WebhookListParams;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import tools.jackson.core.type.TypeReference;

/**
 * Webhook registrations in {@code taskflow_webhooks}: one row per webhook, its lists and headers as
 * JSON text, its secrets space-separated (a secret is {@code whsec_} and base64, never a space).
 */
final class WebhookRows {
  static final String TABLE = "taskflow_webhooks";
  private static final String COLUMNS =
      "id, url, events, queue, job_type, owner, headers, active, disabled_reason, secrets,"
          + " created_at, updated_at";
  private static final TypeReference<List<String>> LIST = new TypeReference<>() {};
  private static final TypeReference<LinkedHashMap<String, String>> MAP = new TypeReference<>() {};

  private WebhookRows() {}

  static void save(Connection c, Webhook w) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + TABLE
                + " ("
                + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
                + " url = excluded.url, events = excluded.events, queue = excluded.queue,"
                + " job_type = excluded.job_type, owner = excluded.owner,"
                + " headers = excluded.headers, active = excluded.active,"
                + " disabled_reason = excluded.disabled_reason, secrets = excluded.secrets,"
                + " created_at = excluded.created_at, updated_at = excluded.updated_at")) {
      ps.setString(1, w.id().toString());
      ps.setString(2, w.url());
      ps.setString(3, JobCodec.MAPPER.writeValueAsString(w.events()));
      ps.setString(4, w.queue());
      ps.setString(5, w.jobType());
      ps.setString(6, w.owner());
      ps.setString(7, JobCodec.MAPPER.writeValueAsString(new TreeMap<>(w.headers())));
      ps.setInt(8, w.active() ? 1 : 0);
      ps.setString(9, w.disabledReason());
      ps.setString(10, String.join(" ", w.secrets()));
      ps.setLong(11, w.createdAt().toEpochMilli());
      ps.setLong(12, w.updatedAt().toEpochMilli());
      ps.executeUpdate();
    }
  }

  static Optional<Webhook> get(Connection c, UUID id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT " + COLUMNS + " FROM " + TABLE + " WHERE id = ?")) {
      ps.setString(1, id.toString());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    }
  }

  static List<Webhook> list(Connection c, WebhookListParams p) throws SQLException {
    String where = p.afterId() == null ? "" : " WHERE id > ?";
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT " + COLUMNS + " FROM " + TABLE + where + " ORDER BY id LIMIT ?")) {
      int i = 1;
      if (p.afterId() != null) ps.setString(i++, p.afterId().toString());
      ps.setInt(i, p.limit());
      List<Webhook> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.add(read(rs));
      }
      return out;
    }
  }

  static boolean delete(Connection c, UUID id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + TABLE + " WHERE id = ?")) {
      ps.setString(1, id.toString());
      return ps.executeUpdate() > 0;
    }
  }

  private static Webhook read(ResultSet rs) throws SQLException {
    String secrets = rs.getString(10);
    return new Webhook(
        UUID.fromString(rs.getString(1)),
        rs.getString(2),
        JobCodec.MAPPER.readValue(rs.getString(3), LIST),
        rs.getString(4),
        rs.getString(5),
        rs.getString(6),
        JobCodec.MAPPER.readValue(rs.getString(7), MAP),
        rs.getInt(8) != 0,
        rs.getString(9),
        secrets == null || secrets.isEmpty() ? List.of() : List.of(secrets.split(" ")),
        Instant.ofEpochMilli(rs.getLong(11)),
        Instant.ofEpochMilli(rs.getLong(12)));
  }
}
