package dev.dve.query;

import dev.dve.fault.DataverseFault;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import java.io.IOException;
import java.io.StringReader;
import java.net.URL;

/**
 * FetchXML's schema ({@code fetchxml/fetchxml.xsd}): Dataverse validates a query against its schema before running
 * it, so an unknown attribute or a value such as {@code distinct="maybe"} is refused rather than silently ignored.
 */
final class FetchXmlSchema {
    /** Compiled once; a {@link Schema} is immutable and thread-safe, its validators are not. */
    private static final Schema SCHEMA = load();

    private FetchXmlSchema() {
    }

    private static Schema load() {
        URL xsd = FetchXmlSchema.class.getResource("/fetchxml/fetchxml.xsd");
        if (xsd == null) {
            throw new IllegalStateException("fetchxml/fetchxml.xsd is missing from the classpath");
        }
        try {
            SchemaFactory f = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            return f.newSchema(xsd);
        } catch (SAXException e) {
            throw new IllegalStateException("fetchxml.xsd does not compile", e);
        }
    }

    /** Checks well-formed FetchXML (already parsed once with DTDs refused) against the schema. */
    static void validate(String fetchXml) {
        Validator v = SCHEMA.newValidator();
        try {
            v.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            v.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            v.validate(new StreamSource(new StringReader(fetchXml)));
        } catch (SAXParseException e) {
            throw DataverseFault.query("The FetchXML is not valid against the FetchXML schema: " + readable(e.getMessage()));
        } catch (SAXException e) {
            throw DataverseFault.query("The FetchXML is not valid: " + readable(e.getMessage()));
        } catch (IOException e) {
            throw new IllegalStateException("reading a string cannot fail", e);
        }
    }

    /** Xerces prefixes its messages with the rule's id ("cvc-attribute.3: "); the sentence after it is the useful part. */
    private static String readable(String message) {
        if (message == null) {
            return "";
        }
        return message.replaceFirst("^cvc-[A-Za-z0-9.-]+: ", "");
    }
}
