package dev.switchboard.protocol.contract;

import java.util.function.Function;

/**
 * One contract's identity on the wire: a stable numeric id (never reused), its schema version (raised when fields are
 * added, for diagnostics: decoding never depends on it), its record class and its decoder.
 */
public record ContractType<T extends Contract>(int id, String name, int version, Class<T> recordClass,
                                               Function<ContractReader, T> decoder) {
  public T decode(ContractReader r) {
    return decoder.apply(r);
  }
}
