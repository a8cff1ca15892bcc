// The npm DynamicsWebApi client (2.x), unchanged, against a running emulator: CRUD, paging, count, FetchXML paging,
// $batch with a change set and a GET outside it, and ExecuteWorkflow on an on-demand background workflow.
// Environment: DVE_URL (the emulator's base URL, e.g. http://localhost:5555). Prints one line per check ("ok - ...")
// and exits non-zero at the first failed check.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { DynamicsWebApi } from "dynamics-web-api";

const orgUrl = (process.env.DVE_URL || "").replace(/\/$/, "");
if (!orgUrl) {
    console.error("DVE_URL is not set");
    process.exit(2);
}
const TENANT = "00000000-0000-0000-0000-000000000001";
const CLIENT_ID = process.env.DVE_CLIENT_ID || "00000000-0000-0000-0000-0000000000a1";
const CLIENT_SECRET = process.env.DVE_CLIENT_SECRET || "emulator-admin-secret";

/** A client-credentials token from the emulator's token endpoint (plain HTTP). */
async function acquireToken() {
    const response = await fetch(`${orgUrl}/${TENANT}/oauth2/v2.0/token`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
            grant_type: "client_credentials",
            client_id: CLIENT_ID,
            client_secret: CLIENT_SECRET,
            scope: `${orgUrl}/.default`,
        }),
    });
    assert.equal(response.status, 200, `token endpoint answered ${response.status}`);
    const body = await response.json();
    return body.access_token;
}

const api = new DynamicsWebApi({
    serverUrl: orgUrl,
    dataApi: { version: "9.2" },
    onTokenRefresh: async () => ({ accessToken: await acquireToken() }),
});

let checks = 0;
async function check(name, body) {
    try {
        await body();
    } catch (e) {
        console.log(`not ok - ${name}`);
        console.error(e && e.stack ? e.stack : e);
        if (e && e.status) {
            console.error(JSON.stringify(e, null, 2));
        }
        process.exit(1);
    }
    checks++;
    console.log(`ok - ${name}`);
}

const run = `dwa ${Date.now().toString(36)}`;
let accountId;

await check("create returns the new record's id", async () => {
    accountId = await api.create({ collection: "accounts", data: { name: `${run} main`, creditlimit: 2500, numberofemployees: 40 } });
    assert.match(accountId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
});

await check("create with returnRepresentation returns the record", async () => {
    const created = await api.create({ collection: "accounts", data: { name: `${run} represented` }, returnRepresentation: true, select: ["name"] });
    assert.equal(created.name, `${run} represented`);
    assert.ok(created.accountid);
    await api.deleteRecord({ collection: "accounts", key: created.accountid });
});

await check("retrieve reads the record with formatted values", async () => {
    const a = await api.retrieve({ collection: "accounts", key: accountId, select: ["name", "creditlimit", "numberofemployees"],
        includeAnnotations: "OData.Community.Display.V1.FormattedValue" });
    assert.equal(a.name, `${run} main`);
    assert.equal(a.creditlimit, 2500);
    assert.equal(a.numberofemployees, 40);
    assert.equal(a["creditlimit@OData.Community.Display.V1.FormattedValue"], "$2,500.00");
    assert.ok(a["@odata.etag"], "the record has an etag");
});

const pagedNames = [];
await check("create seven records to page through", async () => {
    for (let i = 1; i <= 7; i++) {
        const name = `${run} page ${i}`;
        await api.create({ collection: "accounts", data: { name } });
        pagedNames.push(name);
    }
});
const pagedFilter = `startswith(name,'${run} page')`;

await check("retrieveMultiple answers one page and a next link", async () => {
    const first = await api.retrieveMultiple({ collection: "accounts", select: ["name"], filter: pagedFilter, orderBy: ["name"], maxPageSize: 3 });
    assert.equal(first.value.length, 3);
    assert.deepEqual(first.value.map(r => r.name), pagedNames.slice(0, 3));
    assert.ok(first.oDataNextLink, "a next link");
    const second = await api.retrieveMultiple({ collection: "accounts", select: ["name"], maxPageSize: 3 }, first.oDataNextLink);
    assert.deepEqual(second.value.map(r => r.name), pagedNames.slice(3, 6));
});

await check("retrieveAll follows the next links over three pages", async () => {
    const all = await api.retrieveAll({ collection: "accounts", select: ["name"], filter: pagedFilter, orderBy: ["name"], maxPageSize: 3 });
    assert.deepEqual(all.value.map(r => r.name), pagedNames);
    assert.equal(new Set(all.value.map(r => r.accountid)).size, 7);
});

await check("count counts the matching records", async () => {
    assert.equal(await api.count({ collection: "accounts", filter: pagedFilter }), 7);
    assert.equal(await api.countAll({ collection: "accounts", filter: pagedFilter, select: ["name"] }), 7);
});

// Dataverse answers the paging cookie when asked for its annotation (DynamicsWebApi reads it into PagingInfo)
const cookieAnnotation = "Microsoft.Dynamics.CRM.fetchxmlpagingcookie";
const fetchXml = `<fetch count="3"><entity name="account"><attribute name="name"/><order attribute="name"/>`
    + `<filter><condition attribute="name" operator="like" value="${run} page%"/></filter></entity></fetch>`;

await check("fetch answers a FetchXML page with a paging cookie", async () => {
    const page1 = await api.fetch({ collection: "accounts", fetchXml, includeAnnotations: cookieAnnotation });
    assert.deepEqual(page1.value.map(r => r.name), pagedNames.slice(0, 3));
    assert.ok(page1.PagingInfo, "paging information");
    assert.equal(page1.PagingInfo.nextPage, 2);
    assert.ok(page1.PagingInfo.cookie, "a paging cookie");
    const page2 = await api.fetch({ collection: "accounts", fetchXml, includeAnnotations: cookieAnnotation,
        pageNumber: page1.PagingInfo.nextPage, pagingCookie: page1.PagingInfo.cookie });
    assert.deepEqual(page2.value.map(r => r.name), pagedNames.slice(3, 6));
});

await check("fetchAll pages through every FetchXML page", async () => {
    const all = await api.fetchAll({ collection: "accounts", fetchXml, includeAnnotations: cookieAnnotation });
    assert.deepEqual(all.value.map(r => r.name), pagedNames);
});

await check("executeBatch runs a change set and a GET outside it", async () => {
    api.startBatch();
    api.create({ collection: "accounts", data: { name: `${run} batch 1` } });
    api.create({ collection: "accounts", data: { name: `${run} batch 2` } });
    api.retrieveMultiple({ collection: "accounts", select: ["name"], filter: `startswith(name,'${run} batch')`, orderBy: ["name"] });
    const results = await api.executeBatch();
    assert.equal(results.length, 3);
    assert.match(results[0], /^[0-9a-f-]{36}$/, "the first create's id");
    assert.match(results[1], /^[0-9a-f-]{36}$/, "the second create's id");
    assert.deepEqual(results[2].value.map(r => r.name), [`${run} batch 1`, `${run} batch 2`]);
});

await check("executeBatch rolls a failing change set back", async () => {
    api.startBatch();
    api.create({ collection: "accounts", data: { name: `${run} doomed` } });
    api.create({ collection: "accounts", data: { name: `${run} bad`, customertypecode: 99 } });
    await assert.rejects(api.executeBatch());
    assert.equal(await api.count({ collection: "accounts", filter: `name eq '${run} doomed'` }), 0);
});

await check("update changes the record", async () => {
    await api.update({ collection: "accounts", key: accountId, data: { telephone1: "555-0199", creditlimit: 3000 } });
    const a = await api.retrieve({ collection: "accounts", key: accountId, select: ["telephone1", "creditlimit"] });
    assert.equal(a.telephone1, "555-0199");
    assert.equal(a.creditlimit, 3000);
});

let workflowId;
await check("create and activate an on-demand background workflow", async () => {
    const here = fileURLToPath(new URL(".", import.meta.url));
    const xaml = readFileSync(`${here}../../fixtures/src/main/resources/samples/workflows/create-task.xaml`, "utf8");
    workflowId = await api.create({ collection: "workflows", data: {
        name: `${run} follow-up`, category: 0, type: 1, scope: 4, primaryentity: "account", mode: 0,
        ondemand: true, triggeroncreate: false, xaml,
    } });
    await api.update({ collection: "workflows", key: workflowId, data: { statecode: 1, statuscode: 2 } });
    const w = await api.retrieve({ collection: "workflows", key: workflowId, select: ["statecode"] });
    assert.equal(w.statecode, 1);
});

// a bound action is named with its namespace, as the Web API requires
await check("callAction ExecuteWorkflow queues a system job that creates the task", async () => {
    const started = await api.callAction({ collection: "workflows", key: workflowId, actionName: "Microsoft.Dynamics.CRM.ExecuteWorkflow", action: { EntityId: accountId } });
    assert.ok(started.asyncoperationid, `a system job id in ${JSON.stringify(started)}`);
    const token = await acquireToken();
    const idle = await fetch(`${orgUrl}/admin/async/run-until-idle`, {
        method: "POST", headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` }, body: "{}",
    });
    assert.equal(idle.status, 200, "run-until-idle");
    const job = await api.retrieve({ collection: "asyncoperations", key: started.asyncoperationid, select: ["statecode", "statuscode", "operationtype"] });
    assert.equal(job.operationtype, 10, "a workflow job");
    assert.equal(job.statecode, 3, "completed");
    assert.equal(job.statuscode, 30, "succeeded");
    const tasks = await api.retrieveMultiple({ collection: "tasks", select: ["subject"], filter: `_regardingobjectid_value eq ${accountId}` });
    assert.deepEqual(tasks.value.map(t => t.subject), [`Follow up with ${run} main`]);
});

await check("deleteRecord deletes the record", async () => {
    await api.deleteRecord({ collection: "accounts", key: accountId });
    await assert.rejects(api.retrieve({ collection: "accounts", key: accountId }), e => e.status === 404);
});

console.log(`${checks} checks passed`);
