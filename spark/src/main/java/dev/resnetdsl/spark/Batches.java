package dev.resnetdsl.spark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;

/** Maps an iterator lazily in batches of up to {@code size} elements: one ONNX Runtime run per batch, rows streamed. */
final class Batches {
    private Batches() {}

    static <T, R> Iterator<R> map(Iterator<T> in, int size, Function<List<T>, List<R>> f) {
        return new Iterator<>() {
            private Iterator<R> current = Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && in.hasNext()) {
                    List<T> batch = new ArrayList<>(size);
                    while (batch.size() < size && in.hasNext()) {
                        batch.add(in.next());
                    }
                    current = f.apply(batch).iterator();
                }
                return current.hasNext();
            }

            @Override
            public R next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return current.next();
            }
        };
    }
}
