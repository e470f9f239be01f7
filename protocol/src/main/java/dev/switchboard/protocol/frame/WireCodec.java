package dev.switchboard.protocol.frame;

/**
 * How one connection's frames are encoded, chosen by the client when it connects (protocol.md §1): JSON (the
 * default) or protobuf ({@code switchboard.v1.Frame}, protocol/src/main/proto/switchboard.proto).
 */
public enum WireCodec {
  JSON, PROTOBUF
}
