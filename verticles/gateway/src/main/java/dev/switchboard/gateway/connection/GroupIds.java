package dev.switchboard.gateway.connection;

import java.util.Arrays;

/** A small set of group ids kept as a primitive array: a session in no group costs nothing but this object. */
final class GroupIds {
  private static final long[] NONE = new long[0];
  private long[] ids = NONE;
  private int size;

  boolean add(long gid) {
    for (int i = 0; i < size; i++) {
      if (ids[i] == gid) {
        return false;
      }
    }
    if (size == ids.length) {
      ids = Arrays.copyOf(ids, Math.max(4, size * 2));
    }
    ids[size++] = gid;
    return true;
  }

  boolean contains(long gid) {
    for (int i = 0; i < size; i++) {
      if (ids[i] == gid) {
        return true;
      }
    }
    return false;
  }

  boolean remove(long gid) {
    for (int i = 0; i < size; i++) {
      if (ids[i] == gid) {
        ids[i] = ids[--size];
        return true;
      }
    }
    return false;
  }

  long[] toArray() {
    return Arrays.copyOf(ids, size);
  }

  void clear() {
    ids = NONE;
    size = 0;
  }
}
