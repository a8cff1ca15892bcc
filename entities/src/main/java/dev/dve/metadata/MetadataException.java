package dev.dve.metadata;

/** A metadata data file that cannot be loaded. */
public class MetadataException extends RuntimeException {
    public MetadataException(String message) {
        super(message);
    }

    public MetadataException(String message, Throwable cause) {
        super(message, cause);
    }
}
