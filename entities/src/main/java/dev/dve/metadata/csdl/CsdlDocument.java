package dev.dve.metadata.csdl;

import dev.dve.metadata.MetadataException;
import dev.dve.xml.SafeXml;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parts of an OData v4 CSDL document ({@code $metadata}) the emulator can serve: entity types with their keys,
 * properties, navigation properties and referential constraints, enum types, the names of complex types, and the
 * entity sets of the container. Type names are kept as written; {@link #qualify} resolves an alias.
 * Read with the JDK's streaming parser ({@link SafeXml#streamReader}): DTDs and external entities are refused.
 */
public record CsdlDocument(Map<String, String> aliases, Map<String, EntityType> entityTypes, Map<String, EnumType> enumTypes,
                           Set<String> complexTypes, Map<String, String> entitySets) {

    /** An entity type; {@code name} is qualified by its schema's namespace. */
    public record EntityType(String name, String baseType, boolean isAbstract, List<String> key, List<Property> properties,
                             List<NavigationProperty> navigations, String description) {
        public String simpleName() {
            return name.substring(name.lastIndexOf('.') + 1);
        }
    }

    /** A structural property with the facets the emulator uses. */
    public record Property(String name, String type, String maxLength, Integer precision, String scale, String description) {
    }

    /** A navigation property; {@code type} is {@code Collection(…)} for a collection-valued one. */
    public record NavigationProperty(String name, String type, String partner, List<ReferentialConstraint> constraints) {
        public boolean isCollection() {
            return type.startsWith("Collection(");
        }
    }

    public record ReferentialConstraint(String property, String referencedProperty) {
    }

    public record EnumType(String name, boolean isFlags, Map<String, Long> members) {
    }

    private static final String DESCRIPTION = "Core.V1.Description";

    /** The namespace-qualified form of a type name written with its schema's alias (or already qualified). */
    public String qualify(String typeName) {
        int dot = typeName.lastIndexOf('.');
        if (dot < 0) {
            return typeName;
        }
        String ns = aliases.get(typeName.substring(0, dot));
        return ns == null ? typeName : ns + typeName.substring(dot);
    }

    public static CsdlDocument read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (IOException e) {
            throw new MetadataException("Cannot read the metadata document " + file + ": " + e.getMessage(), e);
        }
    }

    public static CsdlDocument read(InputStream in, String source) {
        try {
            XMLStreamReader r = SafeXml.streamReader(in);
            try {
                return new Reader(r).read(source);
            } finally {
                r.close();
            }
        } catch (XMLStreamException e) {
            throw new MetadataException(source + " is not a readable CSDL document: " + e.getMessage(), e);
        } catch (NumberFormatException e) {
            throw new MetadataException(source + ": a Precision or enum member Value is not a number: " + e.getMessage(), e);
        }
    }

    /** One pass over the document, keeping the element being filled. */
    private static final class Reader {
        private final XMLStreamReader r;
        private final Map<String, String> aliases = new LinkedHashMap<>();
        private final Map<String, EntityType> entityTypes = new LinkedHashMap<>();
        private final Map<String, EnumType> enumTypes = new LinkedHashMap<>();
        private final Set<String> complexTypes = new LinkedHashSet<>();
        private final Map<String, String> entitySets = new LinkedHashMap<>();
        private String namespace;
        private boolean sawEdmx;
        // the entity type being read
        private String typeName;
        private String baseType;
        private boolean isAbstract;
        private String typeDescription;
        private List<String> key;
        private List<Property> properties;
        private List<NavigationProperty> navigations;
        // the property or navigation property being read
        private Property property;
        private NavigationProperty navigation;
        private EnumType enumType;
        private boolean inComplexType;

        Reader(XMLStreamReader r) {
            this.r = r;
        }

        CsdlDocument read(String source) throws XMLStreamException {
            while (r.hasNext()) {
                int event = r.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    start(r.getLocalName());
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    end(r.getLocalName());
                }
            }
            if (!sawEdmx) {
                throw new MetadataException(source + " is not a CSDL document: its root is not edmx:Edmx");
            }
            return new CsdlDocument(aliases, entityTypes, enumTypes, complexTypes, entitySets);
        }

        private String attr(String name) {
            return r.getAttributeValue(null, name);
        }

        private void start(String element) {
            switch (element) {
                case "Edmx" -> sawEdmx = true;
                case "Schema" -> {
                    namespace = attr("Namespace");
                    if (attr("Alias") != null) {
                        aliases.put(attr("Alias"), namespace);
                    }
                }
                case "EntityType" -> {
                    typeName = namespace + "." + attr("Name");
                    baseType = attr("BaseType");
                    isAbstract = "true".equals(attr("Abstract"));
                    typeDescription = null;
                    key = new ArrayList<>();
                    properties = new ArrayList<>();
                    navigations = new ArrayList<>();
                }
                case "ComplexType" -> {
                    complexTypes.add(namespace + "." + attr("Name"));
                    inComplexType = true;
                }
                case "PropertyRef" -> {
                    if (key != null) {
                        key.add(attr("Name"));
                    }
                }
                case "Property" -> {
                    if (typeName != null && !inComplexType) {
                        String precision = attr("Precision");
                        property = new Property(attr("Name"), attr("Type"), attr("MaxLength"),
                                precision == null ? null : Integer.valueOf(precision), attr("Scale"), null);
                    }
                }
                case "NavigationProperty" -> {
                    if (typeName != null && !inComplexType) {
                        navigation = new NavigationProperty(attr("Name"), attr("Type"), attr("Partner"), new ArrayList<>());
                    }
                }
                case "ReferentialConstraint" -> {
                    if (navigation != null) {
                        navigation.constraints().add(new ReferentialConstraint(attr("Property"), attr("ReferencedProperty")));
                    }
                }
                case "Annotation" -> annotation();
                case "EnumType" -> enumType = new EnumType(namespace + "." + attr("Name"), "true".equals(attr("IsFlags")), new LinkedHashMap<>());
                case "Member" -> {
                    if (enumType != null) {
                        String v = attr("Value");
                        enumType.members().put(attr("Name"), v == null ? (long) enumType.members().size() : Long.parseLong(v));
                    }
                }
                case "EntitySet" -> entitySets.put(attr("EntityType"), attr("Name"));
                default -> {
                    // actions, functions, terms, singletons and the rest: nothing an entity needs
                }
            }
        }

        /** Keeps {@code Org.OData.Core.V1.Description} of the type or the property it annotates; others are ignored. */
        private void annotation() {
            String term = attr("Term");
            String text = attr("String");
            if (term == null || text == null || !term.endsWith(DESCRIPTION)) {
                return;
            }
            if (property != null) {
                property = new Property(property.name(), property.type(), property.maxLength(), property.precision(), property.scale(), text);
            } else if (navigation == null && typeName != null && !inComplexType) {
                typeDescription = text;
            }
        }

        private void end(String element) {
            switch (element) {
                case "Property" -> {
                    if (property != null) {
                        properties.add(property);
                        property = null;
                    }
                }
                case "NavigationProperty" -> {
                    if (navigation != null) {
                        navigations.add(navigation);
                        navigation = null;
                    }
                }
                case "EntityType" -> {
                    entityTypes.put(typeName, new EntityType(typeName, baseType, isAbstract, List.copyOf(key), List.copyOf(properties),
                            List.copyOf(navigations), typeDescription));
                    typeName = null;
                    key = null;
                }
                case "ComplexType" -> inComplexType = false;
                case "EnumType" -> {
                    enumTypes.put(enumType.name(), enumType);
                    enumType = null;
                }
                default -> {
                }
            }
        }
    }
}
