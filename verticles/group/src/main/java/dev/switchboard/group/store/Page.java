package dev.switchboard.group.store;

import java.util.List;

/** Up to a page's limit of items, and whether more follow. */
public record Page<T>(List<T> items, boolean more) {
}
