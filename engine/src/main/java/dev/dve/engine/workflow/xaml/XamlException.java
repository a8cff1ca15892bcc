package dev.dve.engine.workflow.xaml;

/** XAML the engine cannot read or does not support; reported at activation, never skipped. */
public class XamlException extends RuntimeException {
    public XamlException(String message) {
        super(message);
    }

    public XamlException(String message, Throwable cause) {
        super(message, cause);
    }
}
