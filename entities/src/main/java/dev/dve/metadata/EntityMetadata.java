package dev.dve.metadata;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An entity (table) of the catalog: names, keys and attributes, as loaded from its data file. */
public final class EntityMetadata {
    private final String logicalName;
    private final String schemaName;
    private final String entitySetName;
    private final String displayName;
    private final int objectTypeCode;
    private final String ownership;
    private final String primaryIdAttribute;
    private final String primaryNameAttribute;
    private final Map<String, AttributeMetadata> attributes;
    private final Map<String, AttributeMetadata> byWebApiName = new LinkedHashMap<>();
    private final Security security;
    private final String hierarchyAttribute;

    /**
     * How access to the entity's rows is checked.
     *
     * @param privilegeName   the name in its privileges, {@code prvRead<privilegeName>} (Dataverse names systemuser's "User")
     * @param privilegeEntity for an entity without privileges of its own (intersect tables), the entity whose
     *                        privileges govern it; null otherwise
     * @param clientWritable  whether clients may create, update and delete rows (privileges: only the platform writes)
     */
    /**
     * {@code parentLookup}: for a table governed by another's privileges, the lookup to its parent row (a process log's
     * system job); a principal reads the rows whose parent it can read. Null: the governing privilege alone decides.
     */
    /**
     * {@code userKeyed}: the row's primary key is the id of the user it belongs to (usersettings), and a principal
     * holding a privilege at Basic depth reaches exactly its own row.
     */
    public record Security(String privilegeName, String privilegeEntity, boolean clientWritable, String parentLookup, boolean userKeyed) {
        public Security(String privilegeName, String privilegeEntity, boolean clientWritable, String parentLookup) {
            this(privilegeName, privilegeEntity, clientWritable, parentLookup, false);
        }

        public Security(String privilegeName, String privilegeEntity, boolean clientWritable) {
            this(privilegeName, privilegeEntity, clientWritable, null);
        }
    }

    public EntityMetadata(String logicalName, String schemaName, String entitySetName, String displayName,
                          int objectTypeCode, String ownership, String primaryIdAttribute,
                          String primaryNameAttribute, List<AttributeMetadata> attributes) {
        this(logicalName, schemaName, entitySetName, displayName, objectTypeCode, ownership, primaryIdAttribute,
                primaryNameAttribute, attributes, new Security(schemaName, null, true));
    }

    public EntityMetadata(String logicalName, String schemaName, String entitySetName, String displayName,
                          int objectTypeCode, String ownership, String primaryIdAttribute,
                          String primaryNameAttribute, List<AttributeMetadata> attributes, Security security) {
        this(logicalName, schemaName, entitySetName, displayName, objectTypeCode, ownership, primaryIdAttribute,
                primaryNameAttribute, attributes, security, null);
    }

    /**
     * @param hierarchyAttribute the lookup of the entity's hierarchical relationship (its own parent: parentaccountid,
     *                           parentbusinessunitid …), which Above/Under queries walk; null when it has none
     */
    public EntityMetadata(String logicalName, String schemaName, String entitySetName, String displayName,
                          int objectTypeCode, String ownership, String primaryIdAttribute,
                          String primaryNameAttribute, List<AttributeMetadata> attributes, Security security, String hierarchyAttribute) {
        this.security = security;
        this.hierarchyAttribute = hierarchyAttribute;
        this.logicalName = logicalName;
        this.schemaName = schemaName;
        this.entitySetName = entitySetName;
        this.displayName = displayName;
        this.objectTypeCode = objectTypeCode;
        this.ownership = ownership;
        this.primaryIdAttribute = primaryIdAttribute;
        this.primaryNameAttribute = primaryNameAttribute;
        this.attributes = new LinkedHashMap<>();
        for (AttributeMetadata a : attributes) {
            this.attributes.put(a.logicalName(), a);
            if (!a.platformOnly()) {
                this.byWebApiName.put(a.webApiName(), a);
            }
        }
    }

    public String logicalName() { return logicalName; }
    public String schemaName() { return schemaName; }
    public String entitySetName() { return entitySetName; }
    public String displayName() { return displayName; }
    public int objectTypeCode() { return objectTypeCode; }
    public String ownership() { return ownership; }
    public String primaryIdAttribute() { return primaryIdAttribute; }
    public String primaryNameAttribute() { return primaryNameAttribute; }

    public Security security() {
        return security;
    }

    /** The lookup of the entity's hierarchical relationship, if it has one. */
    public java.util.Optional<String> hierarchyAttribute() {
        return java.util.Optional.ofNullable(hierarchyAttribute);
    }

    public boolean isBusinessOwned() {
        return "BusinessOwned".equalsIgnoreCase(ownership);
    }

    public boolean isOrganizationOwned() {
        return "OrganizationOwned".equalsIgnoreCase(ownership);
    }

    public boolean isUserOwned() {
        return "UserOwned".equalsIgnoreCase(ownership);
    }

    public Collection<AttributeMetadata> attributes() {
        return attributes.values();
    }

    public Optional<AttributeMetadata> attribute(String logicalName) {
        return Optional.ofNullable(attributes.get(logicalName));
    }

    /**
     * The attribute a client may name (in FetchXML, say): none for a platform-only column, which a client cannot
     * tell from a column the table does not have.
     */
    public Optional<AttributeMetadata> clientAttribute(String logicalName) {
        return attribute(logicalName).filter(a -> !a.platformOnly());
    }

    /** The attributes clients see: all but the platform-only columns. */
    public List<AttributeMetadata> clientAttributes() {
        return attributes.values().stream().filter(a -> !a.platformOnly()).toList();
    }

    /**
     * Whether clients see the rows' versions: a {@code versionnumber} they can read, shown as the {@code @odata.etag}
     * and checked against {@code If-Match}. A table without one, or keeping it for the platform (asyncoperation),
     * answers no ETag, as one Dataverse does not version.
     */
    public boolean clientVersioned() {
        return clientAttribute("versionnumber").isPresent();
    }

    /**
     * The attribute a Web API property names: a plain attribute, or a lookup by its {@code _x_value} name; never a
     * platform-only column.
     */
    public Optional<AttributeMetadata> byWebApiName(String name) {
        return Optional.ofNullable(byWebApiName.get(name));
    }

    public boolean hasAttribute(String logicalName) {
        return attributes.containsKey(logicalName);
    }

    /**
     * The attributes a retrieve returns for the given logical names: the primary id first, then the named ones
     * in order (all attributes when names is null). Unknown names are refused.
     */
    public List<AttributeMetadata> columns(List<String> names) {
        List<AttributeMetadata> out = new java.util.ArrayList<>();
        out.add(attributes.get(primaryIdAttribute));
        if (names == null) {
            for (AttributeMetadata a : attributes.values()) {
                if (!a.logicalName().equals(primaryIdAttribute)) {
                    out.add(a);
                }
            }
            return out;
        }
        for (String n : names) {
            AttributeMetadata a = attributes.get(n);
            if (a == null) {
                throw new dev.dve.fault.DataverseFault(dev.dve.fault.ErrorCode.QUERY_ERROR,
                        "'" + logicalName + "' entity doesn't contain attribute with Name = '" + n + "'.");
            }
            if (!out.contains(a)) {
                out.add(a);
            }
        }
        return out;
    }

    /** Physical table holding the entity's rows. */
    public String tableName() {
        return logicalName + "base";
    }

    @Override
    public String toString() {
        return logicalName;
    }
}
