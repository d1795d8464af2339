package dev.taskflow.postgres;

import dev.taskflow.jdbc.StagingConnection;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Types;

/**
 * A view of a caller's connection whose prepared statements bind strings untyped, as the store's
 * own connections do ({@code stringtype=unspecified}), so that text binds to uuid and jsonb columns
 * whatever the caller's driver settings are.
 */
final class UntypedStrings {
  private UntypedStrings() {}

  static Connection wrap(Connection c) {
    return wrap(c, new Class<?>[] {Connection.class});
  }

  /** Also a {@link StagingConnection}: the caller's transaction stages its events. */
  static Connection wrapStaging(Connection c) {
    return wrap(c, new Class<?>[] {Connection.class, StagingConnection.class});
  }

  private static Connection wrap(Connection c, Class<?>[] interfaces) {
    return (Connection)
        Proxy.newProxyInstance(
            UntypedStrings.class.getClassLoader(),
            interfaces,
            (proxy, method, args) -> {
              Object out = invoke(c, method, args);
              if (out instanceof PreparedStatement ps
                  && method.getName().equals("prepareStatement")) {
                return statement(ps);
              }
              return out;
            });
  }

  private static PreparedStatement statement(PreparedStatement ps) {
    InvocationHandler h =
        (proxy, method, args) -> {
          String name = method.getName();
          if (name.equals("setString") && args.length == 2) {
            ps.setObject((Integer) args[0], args[1], Types.OTHER);
            return null;
          }
          if (name.equals("setNull") && args.length == 2 && ((Integer) args[1] == Types.VARCHAR)) {
            ps.setNull((Integer) args[0], Types.OTHER);
            return null;
          }
          return invoke(ps, method, args);
        };
    return (PreparedStatement)
        Proxy.newProxyInstance(
            UntypedStrings.class.getClassLoader(), new Class<?>[] {PreparedStatement.class}, h);
  }

  private static Object invoke(Object target, Method m, Object[] args) throws Throwable {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
