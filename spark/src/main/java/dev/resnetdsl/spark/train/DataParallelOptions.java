package dev.resnetdsl.spark.train;

import dev.resnetdsl.runtime.ort.Device;
import dev.resnetdsl.runtime.ort.SessionSettings;
import java.io.Serializable;
import java.util.Objects;

/**
 * How a data-parallel run is spread: the required worker count through {@link #of}, the rest with defaults and
 * {@code withX}.
 *
 * @param workers W: Spark tasks per round, each stepping on its share of every global batch (1-4096)
 * @param averageEvery K: local steps between averagings of parameters, momentum and BN statistics (1 = averaging
 *     gradients every step, the synchronous SGD of a single large batch; more = local SGD)
 * @param threadsPerWorker ONNX Runtime threads per worker step; match {@code spark.task.cpus} (default 1)
 * @param device where the workers run their steps (default the CPU)
 * @param hook called in the worker before each local step (default: nothing); for fault-injection tests
 */
public record DataParallelOptions(int workers, int averageEvery, int threadsPerWorker, Device device, WorkerHook hook)
        implements Serializable {
    /** More workers than this is a typo. */
    public static final int MAX_WORKERS = 4096;

    public DataParallelOptions {
        if (workers < 1 || workers > MAX_WORKERS) {
            throw new IllegalArgumentException(
                    "the number of workers must be between 1 and " + MAX_WORKERS + ", not " + workers);
        }
        if (averageEvery < 1 || averageEvery > 1_000_000) {
            throw new IllegalArgumentException("workers average every 1 to 1,000,000 steps, not every " + averageEvery);
        }
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(hook, "hook");
        new SessionSettings(device, threadsPerWorker); // validates the thread count
    }

    /** {@code workers} workers averaging every step, one thread each, on the CPU. */
    public static DataParallelOptions of(int workers) {
        return new DataParallelOptions(workers, 1, 1, Device.CPU, WorkerHook.NONE);
    }

    /** Averaging every {@code steps} local steps. */
    public DataParallelOptions withAverageEvery(int steps) {
        return new DataParallelOptions(workers, steps, threadsPerWorker, device, hook);
    }

    /** With {@code threads} ONNX Runtime threads per worker (0: ONNX Runtime takes every core). */
    public DataParallelOptions withThreadsPerWorker(int threads) {
        return new DataParallelOptions(workers, averageEvery, threads, device, hook);
    }

    /** On another device. */
    public DataParallelOptions withDevice(Device d) {
        return new DataParallelOptions(workers, averageEvery, threadsPerWorker, d, hook);
    }

    /** With a hook called before every local step. */
    public DataParallelOptions withHook(WorkerHook h) {
        return new DataParallelOptions(workers, averageEvery, threadsPerWorker, device, h);
    }

    /** How each worker's sessions run. */
    SessionSettings workerSettings() {
        return new SessionSettings(device, threadsPerWorker);
    }
}
