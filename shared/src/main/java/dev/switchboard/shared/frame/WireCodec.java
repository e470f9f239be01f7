package dev.switchboard.shared.frame;

/**
 * How one connection's frames are encoded, chosen by the client when it connects (protocol.md §1): JSON (the
 * default) or protobuf ({@code switchboard.v1.Frame}, shared/src/main/proto/switchboard.proto).
 */
public enum WireCodec {
  JSON, PROTOBUF
}
