package dev.dve.server.odata;

import dev.dve.engine.query.QueryFunctions;
import dev.dve.metadata.AttributeMetadata;
import dev.dve.metadata.AttributeType;
import dev.dve.metadata.EntityMetadata;
import dev.dve.metadata.LookupTarget;
import dev.dve.metadata.MetadataCatalog;
import dev.dve.metadata.OneToManyRelationship;
import dev.dve.metadata.OptionMetadata;
import org.apache.olingo.commons.api.edm.EdmPrimitiveTypeKind;
import org.apache.olingo.commons.api.edm.FullQualifiedName;
import org.apache.olingo.commons.api.edm.provider.CsdlAbstractEdmProvider;
import org.apache.olingo.commons.api.edm.provider.CsdlAction;
import org.apache.olingo.commons.api.edm.provider.CsdlActionImport;
import dev.dve.engine.workflow.WorkflowEngine;
import dev.dve.engine.workflow.xaml.WorkflowDefinition;
import org.apache.olingo.commons.api.edm.provider.CsdlParameter;
import org.apache.olingo.commons.api.edm.provider.CsdlAnnotation;
import org.apache.olingo.commons.api.edm.provider.CsdlComplexType;
import org.apache.olingo.commons.api.edm.provider.CsdlEntityContainer;
import org.apache.olingo.commons.api.edm.provider.CsdlEntityContainerInfo;
import org.apache.olingo.commons.api.edm.provider.CsdlEntitySet;
import org.apache.olingo.commons.api.edm.provider.CsdlEntityType;
import org.apache.olingo.commons.api.edm.provider.CsdlEnumMember;
import org.apache.olingo.commons.api.edm.provider.CsdlEnumType;
import org.apache.olingo.commons.api.edm.provider.CsdlFunction;
import org.apache.olingo.commons.api.edm.provider.CsdlFunctionImport;
import org.apache.olingo.commons.api.edm.provider.CsdlNavigationProperty;
import org.apache.olingo.commons.api.edm.provider.CsdlNavigationPropertyBinding;
import org.apache.olingo.commons.api.edm.provider.CsdlProperty;
import org.apache.olingo.commons.api.edm.provider.CsdlPropertyRef;
import org.apache.olingo.commons.api.edm.provider.CsdlReturnType;
import org.apache.olingo.commons.api.edm.provider.CsdlSchema;
import org.apache.olingo.commons.api.edm.provider.CsdlTerm;
import org.apache.olingo.commons.api.edm.provider.annotation.CsdlCollection;
import org.apache.olingo.commons.api.edm.provider.annotation.CsdlConstantExpression;
import org.apache.olingo.commons.api.edm.provider.annotation.CsdlExpression;
import org.apache.olingo.commons.api.edm.provider.annotation.CsdlPropertyValue;
import org.apache.olingo.commons.api.edm.provider.annotation.CsdlRecord;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CSDL of the Web API, built once from the metadata catalog: one entity type and set per entity in namespace
 * {@code Microsoft.Dynamics.CRM}, lookups as {@code _x_value} plus navigation properties, option-set values and
 * labels as annotations, and the functions of the platform (WhoAmI).
 */
public final class CatalogEdmProvider extends CsdlAbstractEdmProvider {
    public static final String NAMESPACE = "Microsoft.Dynamics.CRM";
    public static final String CONTAINER_NAME = "System";
    public static final FullQualifiedName CONTAINER = new FullQualifiedName(NAMESPACE, CONTAINER_NAME);
    public static final FullQualifiedName WHOAMI_RESPONSE = new FullQualifiedName(NAMESPACE, "WhoAmIResponse");
    public static final String WHOAMI = "WhoAmI";
    public static final String EXECUTE_WORKFLOW = "ExecuteWorkflow";
    public static final String BULK_DELETE = "BulkDelete";
    public static final String GRANT_ACCESS = "GrantAccess";
    public static final String MODIFY_ACCESS = "ModifyAccess";
    public static final String REVOKE_ACCESS = "RevokeAccess";
    public static final String RETRIEVE_SHARED = "RetrieveSharedPrincipalsAndAccess";
    public static final String RETRIEVE_PRINCIPAL_ACCESS = "RetrievePrincipalAccess";
    private static final FullQualifiedName OPTION = new FullQualifiedName(NAMESPACE, "OptionSetOption");
    private static final String OPTION_TERM = "OptionSet";
    /** The base type of systemuser and team: what an owner lookup's one navigation property {@code ownerid} leads to. */
    public static final String PRINCIPAL = "principal";

    private final MetadataCatalog catalog;
    /**
     * True: the CSDL as {@code $metadata} shows it, {@code ownerid} typed principal. False: the model requests are
     * parsed with, where {@code ownerid} is typed systemuser so that {@code $expand=ownerid($select=fullname)} and
     * {@code $filter=ownerid/fullname eq …} name a user's columns, as clients write them (Olingo resolves a property only
     * on the declared type, and principal declares just {@code ownerid}); a team owner is still expanded as a team.
     */
    private final boolean document;
    private final Map<String, CsdlEntityType> types = new LinkedHashMap<>();
    private final Map<String, CsdlEntitySet> sets = new LinkedHashMap<>();
    private final List<CsdlComplexType> complexTypes = new ArrayList<>();
    private final List<CsdlFunction> functions = new ArrayList<>();
    private final List<CsdlFunctionImport> functionImports = new ArrayList<>();
    private final List<CsdlAction> actions = new ArrayList<>();
    private final CsdlSchema schema;

    private final List<CsdlActionImport> actionImports = new ArrayList<>();
    private final List<CsdlEnumType> enumTypes = new ArrayList<>();

    public CatalogEdmProvider(MetadataCatalog catalog) {
        this(catalog, List.of());
    }

    /** The catalog's CSDL plus the activated custom actions (category 3 workflows). */
    public CatalogEdmProvider(MetadataCatalog catalog, List<WorkflowEngine.ActionSignature> customActions) {
        this(catalog, customActions, false);
    }

    /** {@code document}: the CSDL {@code $metadata} shows (ownerid typed principal), else the model requests are parsed with. */
    public CatalogEdmProvider(MetadataCatalog catalog, List<WorkflowEngine.ActionSignature> customActions, boolean document) {
        this.catalog = catalog;
        this.document = document;
        if (hasPrincipal()) {
            types.put(PRINCIPAL, principalType());
        }
        for (EntityMetadata e : catalog.entities()) {
            types.put(e.logicalName(), entityType(e));
            sets.put(e.entitySetName(), entitySet(e));
        }
        complexTypes.add(new CsdlComplexType().setName(OPTION.getName()).setProperties(List.of(
                property("Value", EdmPrimitiveTypeKind.Int32), property("Label", EdmPrimitiveTypeKind.String),
                property("State", EdmPrimitiveTypeKind.Int32), property("DefaultStatus", EdmPrimitiveTypeKind.Int32))));
        complexTypes.add(new CsdlComplexType().setName(WHOAMI_RESPONSE.getName()).setProperties(List.of(
                property("BusinessUnitId", EdmPrimitiveTypeKind.Guid).setNullable(false),
                property("UserId", EdmPrimitiveTypeKind.Guid).setNullable(false),
                property("OrganizationId", EdmPrimitiveTypeKind.Guid).setNullable(false))));
        functions.add(new CsdlFunction().setName(WHOAMI).setBound(false).setComposable(false)
                .setReturnType(new CsdlReturnType().setType(WHOAMI_RESPONSE).setNullable(false)));
        functions.addAll(QueryFunctionDeclarations.declarations());
        functionImports.add(new CsdlFunctionImport().setName(WHOAMI).setFunction(new FullQualifiedName(NAMESPACE, WHOAMI))
                .setIncludeInServiceDocument(false));
        if (catalog.entity("workflow").isPresent() && catalog.entity("asyncoperation").isPresent()) {
            actions.add(new CsdlAction().setName(EXECUTE_WORKFLOW).setBound(true).setParameters(List.of(
                            new CsdlParameter().setName("entity").setType(typeName("workflow")).setNullable(false),
                            new CsdlParameter().setName("EntityId").setType(EdmPrimitiveTypeKind.Guid.getFullQualifiedName()).setNullable(false)))
                    .setReturnType(new CsdlReturnType().setType(typeName("asyncoperation")).setNullable(false)));
        }
        if (catalog.entity("bulkdeleteoperation").isPresent() && catalog.entity("activityparty").isPresent()) {
            addBulkDelete();
        }
        if (catalog.entity(dev.dve.auth.security.RecordShares.ENTITY).isPresent() && catalog.entity("systemuser").isPresent()
                && catalog.entity("team").isPresent()) {
            addSharing();
        }
        for (WorkflowEngine.ActionSignature a : customActions) {
            if (!a.name().equals(BULK_DELETE) && !SHARING.contains(a.name())) {
                addCustomAction(a);
            }
        }
        CsdlTerm term = new CsdlTerm().setName(OPTION_TERM).setType("Collection(" + OPTION.getFullQualifiedNameAsString() + ")")
                .setAppliesTo(List.of("Property"));
        schema = new CsdlSchema().setNamespace(NAMESPACE).setAlias("mscrm")
                .setEntityTypes(new ArrayList<>(types.values()))
                .setComplexTypes(complexTypes)
                .setFunctions(functions)
                .setActions(actions)
                .setEnumTypes(enumTypes)
                .setTerms(List.of(term))
                .setEntityContainer(getEntityContainer());
    }

    public static FullQualifiedName typeName(String logicalName) {
        return new FullQualifiedName(NAMESPACE, logicalName);
    }

    private static FullQualifiedName crm(String name) {
        return new FullQualifiedName(NAMESPACE, name);
    }

    private static CsdlProperty complex(String name, String type, boolean collection) {
        return new CsdlProperty().setName(name).setType(crm(type)).setCollection(collection);
    }

    /**
     * The BulkDelete action (unbound) with the query types its QuerySet is made of, as Dataverse declares them; the
     * operators listed are the ones the emulator runs ({@code dev.dve.engine.bulkdelete.QueryExpressionReader}).
     */
    private void addBulkDelete() {
        enumTypes.add(new CsdlEnumType().setName("LogicalOperator").setMembers(List.of(
                new CsdlEnumMember().setName("And").setValue("0"), new CsdlEnumMember().setName("Or").setValue("1"))));
        enumTypes.add(new CsdlEnumType().setName("OrderType").setMembers(List.of(
                new CsdlEnumMember().setName("Ascending").setValue("0"), new CsdlEnumMember().setName("Descending").setValue("1"))));
        List<CsdlEnumMember> operators = new ArrayList<>();
        dev.dve.engine.bulkdelete.QueryExpressionReader.operatorNumbers().entrySet().stream()
                .sorted(Map.Entry.comparingByValue())
                .forEach(o -> operators.add(new CsdlEnumMember().setName(o.getKey()).setValue(String.valueOf(o.getValue()))));
        enumTypes.add(new CsdlEnumType().setName("ConditionOperator").setMembers(operators));
        complexTypes.add(new CsdlComplexType().setName("Object").setProperties(List.of(
                property("Type", EdmPrimitiveTypeKind.String), property("Value", EdmPrimitiveTypeKind.String))));
        complexTypes.add(new CsdlComplexType().setName("ColumnSet").setProperties(List.of(
                property("AllColumns", EdmPrimitiveTypeKind.Boolean),
                property("Columns", EdmPrimitiveTypeKind.String).setCollection(true))));
        complexTypes.add(new CsdlComplexType().setName("ConditionExpression").setProperties(List.of(
                property("AttributeName", EdmPrimitiveTypeKind.String), property("EntityName", EdmPrimitiveTypeKind.String),
                complex("Operator", "ConditionOperator", false), complex("Values", "Object", true))));
        complexTypes.add(new CsdlComplexType().setName("FilterExpression").setProperties(List.of(
                complex("Conditions", "ConditionExpression", true), complex("FilterOperator", "LogicalOperator", false),
                complex("Filters", "FilterExpression", true), property("IsQuickFindFilter", EdmPrimitiveTypeKind.Boolean))));
        complexTypes.add(new CsdlComplexType().setName("OrderExpression").setProperties(List.of(
                property("AttributeName", EdmPrimitiveTypeKind.String), complex("OrderType", "OrderType", false))));
        complexTypes.add(new CsdlComplexType().setName("QueryExpression").setProperties(List.of(
                complex("ColumnSet", "ColumnSet", false), complex("Criteria", "FilterExpression", false),
                property("Distinct", EdmPrimitiveTypeKind.Boolean), property("EntityName", EdmPrimitiveTypeKind.String),
                property("NoLock", EdmPrimitiveTypeKind.Boolean), complex("Orders", "OrderExpression", true),
                property("TopCount", EdmPrimitiveTypeKind.Int32))));
        complexTypes.add(new CsdlComplexType().setName(BULK_DELETE + "Response").setProperties(List.of(
                property("JobId", EdmPrimitiveTypeKind.Guid).setNullable(false))));
        actions.add(new CsdlAction().setName(BULK_DELETE).setBound(false).setParameters(List.of(
                        new CsdlParameter().setName("QuerySet").setType(crm("QueryExpression")).setCollection(true).setNullable(false),
                        new CsdlParameter().setName("JobName").setType(EdmPrimitiveTypeKind.String.getFullQualifiedName()).setNullable(false),
                        new CsdlParameter().setName("SendEmailNotification").setType(EdmPrimitiveTypeKind.Boolean.getFullQualifiedName()).setNullable(false),
                        new CsdlParameter().setName("ToRecipients").setType(typeName("activityparty")).setCollection(true).setNullable(false),
                        new CsdlParameter().setName("CCRecipients").setType(typeName("activityparty")).setCollection(true).setNullable(false),
                        new CsdlParameter().setName("RecurrencePattern").setType(EdmPrimitiveTypeKind.String.getFullQualifiedName()).setNullable(false),
                        new CsdlParameter().setName("StartDateTime").setType(EdmPrimitiveTypeKind.DateTimeOffset.getFullQualifiedName()).setNullable(false),
                        new CsdlParameter().setName("SourceImportId").setType(EdmPrimitiveTypeKind.Guid.getFullQualifiedName()),
                        new CsdlParameter().setName("RunNow").setType(EdmPrimitiveTypeKind.Boolean.getFullQualifiedName())))
                .setReturnType(new CsdlReturnType().setType(crm(BULK_DELETE + "Response")).setNullable(false)));
        actionImports.add(new CsdlActionImport().setName(BULK_DELETE).setAction(crm(BULK_DELETE)));
    }

    private static final java.util.Set<String> SHARING = java.util.Set.of(GRANT_ACCESS, MODIFY_ACCESS, REVOKE_ACCESS,
            RETRIEVE_SHARED, RETRIEVE_PRINCIPAL_ACCESS);

    /**
     * Record sharing as Dataverse declares it: the {@code AccessRights} flags, the abstract {@code crmbaseentity} (any
     * record, a Target) and {@code principal} (a user or team, keyed {@code ownerid}), the {@code PrincipalAccess}
     * complex type, the GrantAccess, ModifyAccess and RevokeAccess actions, the RetrieveSharedPrincipalsAndAccess
     * function and RetrievePrincipalAccess bound to systemuser and team.
     */
    private void addSharing() {
        List<CsdlEnumMember> rights = new ArrayList<>();
        rights.add(new CsdlEnumMember().setName("None").setValue("0"));
        java.util.Arrays.stream(dev.dve.auth.security.AccessRight.values())
                .sorted(java.util.Comparator.comparingInt(dev.dve.auth.security.AccessRight::flag))
                .forEach(r -> rights.add(new CsdlEnumMember().setName(r.accessRightsName()).setValue(String.valueOf(r.flag()))));
        enumTypes.add(new CsdlEnumType().setName("AccessRights").setFlags(true)
                .setUnderlyingType(EdmPrimitiveTypeKind.Int32.getFullQualifiedName()).setMembers(rights));
        types.putIfAbsent("crmbaseentity", new CsdlEntityType().setName("crmbaseentity").setAbstract(true));
        types.putIfAbsent("principal", new CsdlEntityType().setName("principal").setAbstract(true)
                .setProperties(List.of(property("ownerid", EdmPrimitiveTypeKind.Guid).setNullable(false)))
                .setKey(List.of(new CsdlPropertyRef().setName("ownerid"))));
        complexTypes.add(new CsdlComplexType().setName("PrincipalAccess")
                .setProperties(List.of(complex("AccessMask", "AccessRights", false).setNullable(false)))
                .setNavigationProperties(List.of(new CsdlNavigationProperty().setName("Principal").setType(typeName("principal")).setNullable(false))));
        complexTypes.add(new CsdlComplexType().setName(RETRIEVE_SHARED + "Response")
                .setProperties(List.of(complex("PrincipalAccesses", "PrincipalAccess", true))));
        complexTypes.add(new CsdlComplexType().setName(RETRIEVE_PRINCIPAL_ACCESS + "Response")
                .setProperties(List.of(complex("AccessRights", "AccessRights", false).setNullable(false))));
        CsdlParameter target = new CsdlParameter().setName("Target").setType(typeName("crmbaseentity")).setNullable(false);
        CsdlParameter principalAccess = new CsdlParameter().setName("PrincipalAccess").setType(crm("PrincipalAccess")).setNullable(false);
        actions.add(new CsdlAction().setName(GRANT_ACCESS).setBound(false).setParameters(List.of(target, principalAccess)));
        actions.add(new CsdlAction().setName(MODIFY_ACCESS).setBound(false).setParameters(List.of(target, principalAccess)));
        actions.add(new CsdlAction().setName(REVOKE_ACCESS).setBound(false).setParameters(List.of(target,
                new CsdlParameter().setName("Revokee").setType(typeName("principal")).setNullable(false))));
        for (String a : List.of(GRANT_ACCESS, MODIFY_ACCESS, REVOKE_ACCESS)) {
            actionImports.add(new CsdlActionImport().setName(a).setAction(crm(a)));
        }
        functions.add(new CsdlFunction().setName(RETRIEVE_SHARED).setBound(false).setComposable(false)
                .setParameters(List.of(target))
                .setReturnType(new CsdlReturnType().setType(crm(RETRIEVE_SHARED + "Response")).setNullable(false)));
        functionImports.add(new CsdlFunctionImport().setName(RETRIEVE_SHARED).setFunction(crm(RETRIEVE_SHARED))
                .setIncludeInServiceDocument(false));
        for (String bound : List.of("systemuser", "team")) {
            functions.add(new CsdlFunction().setName(RETRIEVE_PRINCIPAL_ACCESS).setBound(true).setComposable(false)
                    .setParameters(List.of(new CsdlParameter().setName("entity").setType(typeName(bound)).setNullable(false), target))
                    .setReturnType(new CsdlReturnType().setType(crm(RETRIEVE_PRINCIPAL_ACCESS + "Response")).setNullable(false)));
        }
    }

    private void addCustomAction(WorkflowEngine.ActionSignature a) {
        if (a.boundEntity() != null && !types.containsKey(a.boundEntity())) {
            return;
        }
        List<CsdlParameter> params = new ArrayList<>();
        if (a.boundEntity() != null) {
            params.add(new CsdlParameter().setName("entity").setType(typeName(a.boundEntity())).setNullable(false));
        }
        for (WorkflowDefinition.Argument in : a.inputs()) {
            params.add(new CsdlParameter().setName(in.name()).setType(edmType(in.type()).getFullQualifiedName()).setNullable(!in.required()));
        }
        CsdlAction action = new CsdlAction().setName(a.name()).setBound(a.boundEntity() != null).setParameters(params);
        if (!a.outputs().isEmpty()) {
            List<CsdlProperty> props = new ArrayList<>();
            for (WorkflowDefinition.Argument out : a.outputs()) {
                props.add(property(out.name(), edmType(out.type())));
            }
            complexTypes.add(new CsdlComplexType().setName(a.name() + "Response").setProperties(props));
            action.setReturnType(new CsdlReturnType().setType(new FullQualifiedName(NAMESPACE, a.name() + "Response")));
        }
        actions.add(action);
        if (a.boundEntity() == null) {
            actionImports.add(new CsdlActionImport().setName(a.name()).setAction(new FullQualifiedName(NAMESPACE, a.name())));
        }
    }

    /** The EDM type of a workflow argument's XAML type. */
    public static EdmPrimitiveTypeKind edmType(String xamlType) {
        String t = xamlType == null ? "" : xamlType.substring(xamlType.indexOf(':') + 1);
        return switch (t) {
            case "Int32", "OptionSetValue" -> EdmPrimitiveTypeKind.Int32;
            case "Boolean" -> EdmPrimitiveTypeKind.Boolean;
            case "Decimal", "Money" -> EdmPrimitiveTypeKind.Decimal;
            case "Double" -> EdmPrimitiveTypeKind.Double;
            case "DateTime" -> EdmPrimitiveTypeKind.DateTimeOffset;
            case "Guid", "EntityReference" -> EdmPrimitiveTypeKind.Guid;
            default -> EdmPrimitiveTypeKind.String;
        };
    }

    private boolean hasPrincipal() {
        return catalog.entity("systemuser").isPresent() && catalog.entity("team").isPresent();
    }

    /**
     * principal as Dataverse declares it: abstract, the owner's id {@code ownerid}, and the collection-valued side of
     * every owner relationship ({@code owner_accounts}), which systemuser and team inherit. Unlike Dataverse it declares
     * no key: Olingo gives a derived type its base type's key whenever the base has one, and systemuser and team keep
     * their own ({@code systemuserid}, {@code teamid}) — an abstract type without a key is valid CSDL.
     */
    private CsdlEntityType principalType() {
        List<CsdlNavigationProperty> navs = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (OneToManyRelationship r : catalog.oneToMany("systemuser")) {
            if (catalog.isPrincipalRelationship(r) && seen.add(r.schemaName())) {
                navs.add(new CsdlNavigationProperty().setName(r.schemaName()).setType(typeName(r.referencingEntity()))
                        .setCollection(true).setPartner(r.referencingNavigation()));
            }
        }
        return new CsdlEntityType().setName(PRINCIPAL).setAbstract(true)
                .setProperties(List.of(property("ownerid", EdmPrimitiveTypeKind.Guid)))
                .setNavigationProperties(navs);
    }

    private boolean derivesFromPrincipal(EntityMetadata e) {
        return hasPrincipal() && (e.logicalName().equals("systemuser") || e.logicalName().equals("team"));
    }

    private CsdlEntityType entityType(EntityMetadata e) {
        List<CsdlProperty> props = new ArrayList<>();
        for (AttributeMetadata a : e.clientAttributes()) {
            CsdlProperty p = new CsdlProperty().setName(a.webApiName())
                    .setType(EdmPrimitiveTypeKind.valueOfFQN(a.edmType()).getFullQualifiedName());
            if (a.logicalName().equals(e.primaryIdAttribute())) {
                p.setNullable(false);
            }
            if (a.type().isText() && a.maxLength() != null) {
                p.setMaxLength(a.maxLength());
            }
            if (a.type() == AttributeType.MONEY || a.type() == AttributeType.DECIMAL) {
                p.setPrecision(38).setScale(a.precision());
            }
            if (a.optionSet() != null && a.type() != AttributeType.BOOLEAN) {
                p.setAnnotations(List.of(optionAnnotation(a)));
            }
            props.add(p);
        }
        List<CsdlNavigationProperty> navs = new ArrayList<>();
        for (OneToManyRelationship r : catalog.manyToOne(e.logicalName())) {
            boolean principal = document && catalog.isPrincipalRelationship(r);
            CsdlNavigationProperty nav = new CsdlNavigationProperty().setName(r.referencingNavigation())
                    .setType(principal ? typeName(PRINCIPAL) : typeName(r.referencedEntity())).setNullable(true);
            navs.add(principal ? nav.setPartner(r.schemaName()) : nav);
        }
        boolean derived = derivesFromPrincipal(e);
        for (OneToManyRelationship r : catalog.oneToMany(e.logicalName())) {
            if (derived && catalog.isPrincipalRelationship(r)) {
                continue; // declared on principal
            }
            navs.add(new CsdlNavigationProperty().setName(r.schemaName()).setType(typeName(r.referencingEntity()))
                    .setCollection(true));
        }
        CsdlEntityType type = new CsdlEntityType().setName(e.logicalName()).setProperties(props).setNavigationProperties(navs)
                .setKey(List.of(new CsdlPropertyRef().setName(e.primaryIdAttribute())));
        return derived ? type.setBaseType(typeName(PRINCIPAL)) : type;
    }

    private static CsdlAnnotation optionAnnotation(AttributeMetadata a) {
        List<CsdlExpression> items = new ArrayList<>();
        for (OptionMetadata o : a.optionSet().options()) {
            List<CsdlPropertyValue> values = new ArrayList<>();
            values.add(value("Value", String.valueOf(o.value()), CsdlConstantExpression.ConstantExpressionType.Int));
            values.add(value("Label", o.label(), CsdlConstantExpression.ConstantExpressionType.String));
            if (o.state() != null) {
                values.add(value("State", String.valueOf(o.state()), CsdlConstantExpression.ConstantExpressionType.Int));
            }
            if (o.defaultStatus() != null) {
                values.add(value("DefaultStatus", String.valueOf(o.defaultStatus()), CsdlConstantExpression.ConstantExpressionType.Int));
            }
            items.add(new CsdlRecord().setType(OPTION.getFullQualifiedNameAsString()).setPropertyValues(values));
        }
        return new CsdlAnnotation().setTerm(NAMESPACE + "." + OPTION_TERM).setQualifier(a.optionSet().name())
                .setExpression(new CsdlCollection().setItems(items));
    }

    private static CsdlPropertyValue value(String name, String v, CsdlConstantExpression.ConstantExpressionType type) {
        return new CsdlPropertyValue().setProperty(name).setValue(new CsdlConstantExpression(type, v));
    }

    private CsdlEntitySet entitySet(EntityMetadata e) {
        List<CsdlNavigationPropertyBinding> bindings = new ArrayList<>();
        for (AttributeMetadata a : e.clientAttributes()) {
            if (a.type().isLookup()) {
                for (LookupTarget t : a.targets()) {
                    if (bindings.stream().anyMatch(b -> b.getPath().equals(t.navigation()))
                            || document && a.isPolymorphic() && t.navigation().equals(a.logicalName())) {
                        continue; // ownerid: one navigation property to two entity sets (its type is principal)
                    }
                    bindings.add(new CsdlNavigationPropertyBinding().setPath(t.navigation())
                            .setTarget(catalog.require(t.entity()).entitySetName()));
                }
            }
        }
        for (OneToManyRelationship r : catalog.oneToMany(e.logicalName())) {
            bindings.add(new CsdlNavigationPropertyBinding().setPath(r.schemaName())
                    .setTarget(catalog.require(r.referencingEntity()).entitySetName()));
        }
        return new CsdlEntitySet().setName(e.entitySetName()).setType(typeName(e.logicalName()))
                .setNavigationPropertyBindings(bindings);
    }

    private static CsdlProperty property(String name, EdmPrimitiveTypeKind kind) {
        return new CsdlProperty().setName(name).setType(kind.getFullQualifiedName());
    }

    @Override
    public CsdlEntityType getEntityType(FullQualifiedName name) {
        return NAMESPACE.equals(name.getNamespace()) ? types.get(name.getName()) : null;
    }

    @Override
    public CsdlComplexType getComplexType(FullQualifiedName name) {
        return complexTypes.stream().filter(c -> NAMESPACE.equals(name.getNamespace()) && c.getName().equals(name.getName()))
                .findFirst().orElse(null);
    }

    @Override
    public List<CsdlFunction> getFunctions(FullQualifiedName name) {
        return functions.stream().filter(f -> NAMESPACE.equals(name.getNamespace()) && f.getName().equals(name.getName())).toList();
    }

    @Override
    public List<CsdlAction> getActions(FullQualifiedName name) {
        return actions.stream().filter(a -> NAMESPACE.equals(name.getNamespace()) && a.getName().equals(name.getName())).toList();
    }

    @Override
    public CsdlEnumType getEnumType(FullQualifiedName name) {
        return enumTypes.stream().filter(t -> NAMESPACE.equals(name.getNamespace()) && t.getName().equals(name.getName()))
                .findFirst().orElse(null);
    }

    @Override
    public CsdlTerm getTerm(FullQualifiedName name) {
        return NAMESPACE.equals(name.getNamespace()) && OPTION_TERM.equals(name.getName()) ? schema.getTerms().get(0) : null;
    }

    @Override
    public CsdlEntitySet getEntitySet(FullQualifiedName container, String name) {
        return CONTAINER.equals(container) ? sets.get(name) : null;
    }

    @Override
    public CsdlFunctionImport getFunctionImport(FullQualifiedName container, String name) {
        return CONTAINER.equals(container) ? functionImports.stream().filter(f -> f.getName().equals(name)).findFirst().orElse(null) : null;
    }

    @Override
    public CsdlActionImport getActionImport(FullQualifiedName container, String name) {
        return CONTAINER.equals(container) ? actionImports.stream().filter(a -> a.getName().equals(name)).findFirst().orElse(null) : null;
    }

    @Override
    public CsdlEntityContainer getEntityContainer() {
        return new CsdlEntityContainer().setName(CONTAINER_NAME).setEntitySets(new ArrayList<>(sets.values()))
                .setFunctionImports(functionImports).setActionImports(actionImports);
    }

    @Override
    public CsdlEntityContainerInfo getEntityContainerInfo(FullQualifiedName name) {
        return name == null || CONTAINER.equals(name) ? new CsdlEntityContainerInfo().setContainerName(CONTAINER) : null;
    }

    @Override
    public List<CsdlSchema> getSchemas() {
        return List.of(schema);
    }
}
