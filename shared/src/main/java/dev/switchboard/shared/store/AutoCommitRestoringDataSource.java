package dev.switchboard.shared.store;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Works around vert-x3/vertx-jdbc-client#356 (present in 5.0.8 and 5.0.10): after {@code commit()} or
 * {@code rollback()} the JDBC client calls {@code setAutoCommit(false)} instead of {@code true}, so every later plain
 * statement on that pooled connection runs in an implicit transaction that is never committed: acknowledged writes
 * would be invisible to other connections and lost on a crash.
 *
 * <p>The connections handed out here turn the {@code setAutoCommit(false)} that directly follows a commit or rollback
 * into {@code setAutoCommit(true)}; the {@code setAutoCommit(false)} that begins a transaction passes through.
 */
final class AutoCommitRestoringDataSource implements DataSource {
  private final DataSource delegate;

  AutoCommitRestoringDataSource(DataSource delegate) {
    this.delegate = delegate;
  }

  private static Connection wrap(Connection c) {
    boolean[] justEnded = {false};
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> {
          String name = method.getName();
          Object[] actual = args;
          if (name.equals("setAutoCommit") && justEnded[0] && Boolean.FALSE.equals(args[0])) {
            actual = new Object[] {Boolean.TRUE};
          }
          justEnded[0] = name.equals("commit") || name.equals("rollback");
          try {
            return method.invoke(c, actual);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  @Override
  public Connection getConnection() throws SQLException {
    return wrap(delegate.getConnection());
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return wrap(delegate.getConnection(username, password));
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return delegate.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    delegate.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    delegate.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return delegate.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return delegate.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return iface.isInstance(this) ? iface.cast(this) : delegate.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || delegate.isWrapperFor(iface);
  }
}
