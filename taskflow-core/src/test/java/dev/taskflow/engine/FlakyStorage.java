package dev.taskflow.engine;

import dev.taskflow.StorageException;
import dev.taskflow.spi.ForwardingStorage;
import dev.taskflow.spi.Storage;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A real store behind a switch: while {@link #down} is set, every call fails as a lost database
 * connection would. Fault injection for outage tests; the data lives in the real store behind it.
 * It wraps the core only and hands out no feature: a feature call could not fail with the switch.
 * Opening, the capabilities and listening never fail.
 */
final class FlakyStorage extends ForwardingStorage {
  private final boolean closeReal;
  volatile boolean down;

  FlakyStorage(Storage real) {
    this(real, true);
  }

  /** With {@code closeReal} false, closing leaves the real store open so a test can inspect it. */
  FlakyStorage(Storage real, boolean closeReal) {
    super(real);
    this.closeReal = closeReal;
  }

  /** Per-operation faults: given the SPI method name, the exception to throw, or null. */
  volatile Function<String, RuntimeException> fault = op -> null;

  @Override
  protected <T> T forward(Supplier<T> call) {
    if (down) throw new StorageException("connection refused (store is down for this test)");
    // the SPI method is the first frame on the stack that is not a forward(..)
    String op =
        StackWalker.getInstance()
            .walk(
                f ->
                    f.map(StackWalker.StackFrame::getMethodName)
                        .filter(name -> !name.equals("forward"))
                        .findFirst()
                        .orElseThrow());
    RuntimeException e = fault.apply(op);
    if (e != null) throw e;
    return call.get();
  }

  @Override
  public void close() {
    if (closeReal) delegate.close();
  }
}
