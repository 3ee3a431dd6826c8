package dev.resnetdsl.training.data;

import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.IntFunction;

/**
 * Produces items {@code from … to-1} on a background thread, at most {@code depth} ahead of the consumer,
 * so that preparing the next batch (decoding, normalising, augmenting) overlaps the training step. The
 * items come out in index order; an exception in the producer is rethrown by {@link #next()}.
 *
 * @param <T> the item type
 */
public final class Prefetcher<T> implements AutoCloseable {
    private static final Object END = new Object();

    private final BlockingQueue<Object> queue;
    private final Thread thread;
    private volatile boolean closed;
    private Object peeked;

    /** Starts producing {@code producer.apply(i)} for {@code i} in {@code [from, to)}. */
    public Prefetcher(IntFunction<T> producer, int from, int to, int depth, String name) {
        this.queue = new ArrayBlockingQueue<>(Math.max(1, depth));
        this.thread = new Thread(
                () -> {
                    try {
                        for (int i = from; i < to && !closed; i++) {
                            queue.put(new Holder(producer.apply(i)));
                        }
                        queue.put(END);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (RuntimeException | Error e) {
                        try {
                            queue.put(new Failure(e));
                        } catch (InterruptedException ie) {
                            Thread.currentThread().interrupt();
                        }
                    }
                },
                name);
        thread.setDaemon(true);
        thread.start();
    }

    /** True while more items will come. */
    public boolean hasNext() {
        return peek() != END;
    }

    /** The next item, waiting for it if the producer is behind. */
    @SuppressWarnings("unchecked")
    public T next() {
        Object o = peek();
        if (o == END) {
            throw new NoSuchElementException();
        }
        peeked = null;
        return (T) ((Holder) o).value;
    }

    private Object peek() {
        if (peeked == null) {
            try {
                peeked = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the next batch", e);
            }
            if (peeked instanceof Failure) {
                Throwable cause = ((Failure) peeked).error;
                peeked = END;
                if (cause instanceof RuntimeException) {
                    throw (RuntimeException) cause;
                }
                throw (Error) cause;
            }
        }
        return peeked;
    }

    /** Stops the producer and discards what it prepared. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        queue.clear();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class Holder {
        final Object value;

        Holder(Object value) {
            this.value = value;
        }
    }

    private static final class Failure {
        final Throwable error;

        Failure(Throwable error) {
            this.error = error;
        }
    }
}
