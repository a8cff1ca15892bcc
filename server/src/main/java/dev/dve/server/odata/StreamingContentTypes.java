package dev.dve.server.odata;

import org.apache.olingo.commons.api.format.ContentType;
import org.apache.olingo.server.api.serializer.CustomContentTypeSupport;
import org.apache.olingo.server.api.serializer.RepresentationType;

import java.util.ArrayList;
import java.util.List;

/**
 * OData JSON's {@code odata.streaming} format parameter: Olingo negotiates only the parameters it knows
 * ({@code odata.metadata}, {@code IEEE754Compatible}, {@code charset}) and answers any other with 406. Every JSON
 * type Olingo offers is also offered with {@code odata.streaming=true} and {@code =false}, after the plain ones, so
 * an Accept without the parameter negotiates exactly as before. The answers already put control information first.
 */
final class StreamingContentTypes implements CustomContentTypeSupport {
    static final String PARAMETER = "odata.streaming";

    @Override
    public List<ContentType> modifySupportedContentTypes(List<ContentType> defaults, RepresentationType type) {
        List<ContentType> all = new ArrayList<>(defaults);
        for (String value : List.of("true", "false")) {
            for (ContentType t : defaults) {
                if (t.isCompatible(ContentType.APPLICATION_JSON)) {
                    ContentType base = t.getParameter(ContentType.PARAMETER_ODATA_METADATA) == null ? ContentType.JSON : t;
                    ContentType streaming = ContentType.create(base, PARAMETER, value);
                    if (!all.contains(streaming)) {
                        all.add(streaming);
                    }
                }
            }
        }
        return all;
    }
}
