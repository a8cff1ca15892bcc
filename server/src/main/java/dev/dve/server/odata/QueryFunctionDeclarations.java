package dev.dve.server.odata;

import dev.dve.engine.query.QueryFunctions;
import org.apache.olingo.commons.api.edm.EdmPrimitiveTypeKind;
import org.apache.olingo.commons.api.edm.provider.CsdlFunction;
import org.apache.olingo.commons.api.edm.provider.CsdlParameter;
import org.apache.olingo.commons.api.edm.provider.CsdlReturnType;

import java.util.ArrayList;
import java.util.List;

/**
 * The Dataverse query functions as the Web API's CSDL declares them, so Olingo parses
 * {@code Microsoft.Dynamics.CRM.LastXDays(PropertyName='createdon',PropertyValue=7)} in {@code $filter}; what they
 * mean is {@link QueryFunctions}'s.
 */
final class QueryFunctionDeclarations {
    private QueryFunctionDeclarations() {
    }

    /** The CSDL declarations (unbound, composable, returning Edm.Boolean). */
    static List<CsdlFunction> declarations() {
        List<CsdlFunction> out = new ArrayList<>();
        QueryFunctions.FUNCTIONS.forEach((name, shape) -> {
            List<CsdlParameter> params = new ArrayList<>();
            params.add(new CsdlParameter().setName("PropertyName").setType(EdmPrimitiveTypeKind.String.getFullQualifiedName()).setNullable(false));
            switch (shape) {
                case VALUE_INT -> params.add(new CsdlParameter().setName("PropertyValue").setType(EdmPrimitiveTypeKind.Int64.getFullQualifiedName()).setNullable(false));
                case VALUE_STRING -> params.add(new CsdlParameter().setName("PropertyValue").setType(EdmPrimitiveTypeKind.String.getFullQualifiedName()).setNullable(false));
                case VALUES -> params.add(new CsdlParameter().setName("PropertyValues").setType(EdmPrimitiveTypeKind.String.getFullQualifiedName())
                        .setCollection(true).setNullable(false));
                case TWO_VALUES -> {
                    params.add(new CsdlParameter().setName("PropertyValue1").setType(EdmPrimitiveTypeKind.Int64.getFullQualifiedName()).setNullable(false));
                    params.add(new CsdlParameter().setName("PropertyValue2").setType(EdmPrimitiveTypeKind.Int64.getFullQualifiedName()).setNullable(false));
                }
                default -> {
                }
            }
            out.add(new CsdlFunction().setName(name).setBound(false).setComposable(true).setParameters(params)
                    .setReturnType(new CsdlReturnType().setType(EdmPrimitiveTypeKind.Boolean.getFullQualifiedName()).setNullable(false)));
        });
        return out;
    }
}
