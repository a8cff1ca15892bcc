package dev.dve.engine.workflow.runtime;

import dev.dve.engine.workflow.xaml.WorkflowDefinition;
import dev.dve.record.Entity;
import dev.dve.record.EntityReference;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static dev.dve.engine.workflow.runtime.DesignerXaml.create;
import static dev.dve.engine.workflow.runtime.DesignerXaml.getProperty;
import static dev.dve.engine.workflow.runtime.DesignerXaml.sequence;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A step reading a record's primary key gets the record's id, under the key's name in the table's metadata. */
class PrimaryKeyReadTest {
    private static final String PRIMARY = "InputEntities(\"primaryEntity\")";

    private static Entity runOn(InMemoryOrganization org, UUID primary, String entity, String keyAttribute) {
        WorkflowDefinition followUp = DesignerXaml.parse(sequence("Body", "Key",
                getProperty(keyAttribute, PRIMARY, entity, "Key"),
                create("CreateStep1", "task", "subject", "\"follow-up\"", "regardingobjectid", "New EntityReference(\"" + entity + "\", Key)")));
        WorkflowInterpreter.execute(followUp, new WorkflowRun(org, org.record(primary), null, false));
        return org.all("task").stream().filter(t -> "follow-up".equals(t.get("subject"))).findFirst().orElseThrow();
    }

    @Test
    void anActivitysKeyIsActivityIdNotTheTableNamePlusId() {
        InMemoryOrganization org = new InMemoryOrganization();
        UUID task = org.insert(new Entity("task").set("subject", "call back"));
        Entity followUp = runOn(org, task, "task", "activityid");
        assertEquals(new EntityReference("task", task), followUp.get("regardingobjectid"));
    }

    @Test
    void anAccountsKeyIsAccountId() {
        InMemoryOrganization org = new InMemoryOrganization();
        UUID account = org.insert(new Entity("account").set("name", "Acme"));
        Entity followUp = runOn(org, account, "account", "accountid");
        assertEquals(account, ((EntityReference) followUp.get("regardingobjectid")).id());
    }
}
