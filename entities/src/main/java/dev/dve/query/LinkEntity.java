package dev.dve.query;

import java.util.ArrayList;
import java.util.List;

/**
 * A join to a related entity (FetchXML's link-entity): rows of {@code entityName} whose {@code from} attribute
 * equals the parent's {@code to} attribute. Its columns come back named {@code alias.column}; its criteria are part
 * of the join; conditions elsewhere name its attributes as {@code alias.attribute}. With {@code firstRowOnly}
 * (FetchXML's matchfirstrowusingcrossapply) an outer join takes at most one matching row: the first by primary key.
 */
public record LinkEntity(String entityName, String from, String to, String alias, boolean outer, List<String> columns,
                         FilterExpression criteria, List<LinkEntity> links, boolean firstRowOnly) {
    public LinkEntity {
        columns = columns == null ? new ArrayList<>() : new ArrayList<>(columns);
        links = links == null ? new ArrayList<>() : new ArrayList<>(links);
    }

    public LinkEntity(String entityName, String from, String to, String alias, boolean outer, List<String> columns,
                      FilterExpression criteria, List<LinkEntity> links) {
        this(entityName, from, to, alias, outer, columns, criteria, links, false);
    }
}
