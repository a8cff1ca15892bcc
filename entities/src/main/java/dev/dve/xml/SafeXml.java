package dev.dve.xml;

import org.w3c.dom.Document;
import org.xml.sax.InputSource;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.StringReader;

/**
 * Parses XML from clients (XAML, FetchXML, paging cookies) and from operators (an org's {@code $metadata}) with DTDs
 * and external entities refused.
 */
public final class SafeXml {
    /**
     * How deeply elements may nest (JAXP's {@code maxElementDepth}): the readers of these documents descend
     * recursively, and a document thousands of levels deep would overflow their stack. Workflow XAML nests a level
     * or two per step (the samples reach 16), FetchXML a level per filter or link-entity.
     */
    static final int MAX_DEPTH = 100;

    private SafeXml() {
    }

    public static Document parse(String xml, boolean namespaceAware) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(namespaceAware);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setExpandEntityReferences(false);
        f.setAttribute("http://www.oracle.com/xml/jaxp/properties/maxElementDepth", String.valueOf(MAX_DEPTH));
        DocumentBuilder b = f.newDocumentBuilder();
        // fatal errors are thrown to the caller; the default handler would also print each one to stderr
        b.setErrorHandler(new org.xml.sax.helpers.DefaultHandler());
        return b.parse(new InputSource(new StringReader(xml)));
    }

    /**
     * A streaming reader for large documents (a real org's {@code $metadata} runs to tens of megabytes): the JDK's own
     * StAX implementation whatever else is on the class path, with DTDs and external entities off.
     */
    public static javax.xml.stream.XMLStreamReader streamReader(java.io.InputStream in) throws javax.xml.stream.XMLStreamException {
        javax.xml.stream.XMLInputFactory f = javax.xml.stream.XMLInputFactory.newDefaultFactory();
        f.setProperty(javax.xml.stream.XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(javax.xml.stream.XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(javax.xml.stream.XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        return f.createXMLStreamReader(in);
    }
}
