package com.example;

import dev.resnetdsl.spark.ImageClassifier;
import dev.resnetdsl.spark.ResNetSparkPlugin;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Classifies every JPEG and PNG under a folder with an ONNX classifier and writes the predictions as Parquet:
 * {@code ClassifyFolder MODEL.onnx IMAGES OUT.parquet}. Local mode on two cores unless spark-submit says otherwise.
 */
public final class ClassifyFolder {
    private ClassifyFolder() {}

    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: ClassifyFolder MODEL.onnx IMAGES OUT.parquet");
            System.exit(1);
        }
        SparkSession spark = SparkSession.builder()
                .appName("classify-folder")
                .master(System.getProperty("spark.master", "local[2]"))
                // Closes each executor's ONNX Runtime session when the executor stops.
                .config("spark.plugins", ResNetSparkPlugin.NAME)
                .getOrCreate();
        try {
            // path, modificationTime, length, content (the file's bytes)
            Dataset<Row> files = spark.read()
                    .format("binaryFile")
                    .option("pathGlobFilter", "*.{jpg,jpeg,png,JPG,JPEG,PNG}")
                    .option("recursiveFileLookup", "true")
                    .load(args[1]);
            ImageClassifier classifier = new ImageClassifier()
                    .setModelPath(args[0]) // preprocessing and class names come from the model's metadata
                    .setInputCol("content")
                    .setTopKCol("top5")
                    .setTopK(5)
                    .setBatchSize(32) // images per ONNX Runtime run
                    .setThreadsPerTask(1); // one core per task: the executor's tasks share its cores
            // A file that is not an image gets nulls and a reason in `error`; the job goes on.
            classifier.transform(files).drop("content").write().parquet(args[2]);
            Dataset<Row> written = spark.read().parquet(args[2]);
            written.select("path", "predictedLabel", "probability", "error").show(10, false);
            System.out.printf(
                    "%d images classified, %d could not be read; predictions in %s%n",
                    written.where("error IS NULL").count(),
                    written.where("error IS NOT NULL").count(),
                    args[2]);
        } finally {
            spark.stop();
        }
    }
}
