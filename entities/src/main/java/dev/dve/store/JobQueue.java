package dev.dve.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The system-job queue as SQL: which {@code asyncoperation} rows are due, locked with {@code FOR UPDATE SKIP LOCKED}
 * so several nodes never claim one job twice, and the bookkeeping the Web API never shows — a node's lease on a
 * running job ({@code dve_job_lease}, in real time, so a dead node's jobs are taken over) and a run's progress
 * ({@code dve_job_progress}, the checkpoint a resumed job continues from).
 */
public final class JobQueue {
    static final String LEASES = "dve_job_lease";
    static final String PROGRESS = "dve_job_progress";
    private static final String JOBS = "asyncoperationbase";
    /** Dataverse's maximum DateTime: a Suspended job with this postponeuntil waits for a person to resume it. */
    public static final Instant FOREVER = Instant.parse("9999-12-30T23:59:59Z");
    private final SqlDialect d;

    public JobQueue(Database database, SchemaBuilder schema) {
        this.d = database.dialect();
        Map<String, String> lease = new LinkedHashMap<>();
        lease.put("asyncoperationid", d.guidType() + " NOT NULL");
        lease.put("node_id", d.shortTextType() + " NOT NULL");
        lease.put("claim_token", d.guidType() + " NOT NULL");
        lease.put("lease_until", d.timestampType() + " NOT NULL");
        schema.ensureTable(LEASES, lease, "asyncoperationid");
        Map<String, String> progress = new LinkedHashMap<>();
        progress.put("asyncoperationid", d.guidType() + " NOT NULL");
        progress.put("checkpoint", d.largeTextType());
        schema.ensureTable(PROGRESS, progress, "asyncoperationid");
    }

    private String q(String identifier) {
        return d.quote(identifier);
    }

    /** Times are bound as UTC wall-clock values, as every other date-time column is ({@link JdbcValues#toJdbc}). */
    private static LocalDateTime utc(Instant i) {
        return LocalDateTime.ofInstant(i, ZoneOffset.UTC);
    }

    /**
     * Locks up to {@code limit} due jobs, oldest {@code createdon} first: Ready ones whose {@code postponeuntil} is unset
     * or passed, and Suspended ones whose finite {@code postponeuntil} has passed (they wake by themselves). Rows
     * another transaction holds are skipped, not waited for.
     */
    public List<UUID> lockDue(Connection c, Instant now, int limit) throws SQLException {
        String sql = "SELECT " + q("asyncoperationid") + " FROM " + q(JOBS)
                + " WHERE (" + q("statecode") + " = 0 AND (" + q("postponeuntil") + " IS NULL OR " + q("postponeuntil") + " <= ?))"
                + " OR (" + q("statecode") + " = 1 AND " + q("postponeuntil") + " <= ? AND " + q("postponeuntil") + " < ?)"
                + " ORDER BY " + q("createdon") + ", " + q("asyncoperationid") + " LIMIT ?" + d.forUpdateSkipLocked();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, utc(now));
            ps.setObject(2, utc(now));
            ps.setObject(3, utc(FOREVER));
            ps.setInt(4, limit);
            return ids(ps);
        }
    }

    /** Whether any job is due now (Ready or waking), whoever holds it. */
    public boolean anyDue(Connection c, Instant now) throws SQLException {
        String sql = "SELECT 1 FROM " + q(JOBS)
                + " WHERE (" + q("statecode") + " = 0 AND (" + q("postponeuntil") + " IS NULL OR " + q("postponeuntil") + " <= ?))"
                + " OR (" + q("statecode") + " = 1 AND " + q("postponeuntil") + " <= ? AND " + q("postponeuntil") + " < ?) LIMIT 1";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, utc(now));
            ps.setObject(2, utc(now));
            ps.setObject(3, utc(FOREVER));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Records a node's lease on a job until the given real time. The claim token names this one claim: a node that
     * stalls past its lease and comes back finds the token gone, even when it claims the same job again later.
     */
    public void lease(Connection c, UUID job, String node, UUID token, Instant until) throws SQLException {
        release(c, job);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + q(LEASES) + " (" + q("asyncoperationid") + ", " + q("node_id") + ", "
                + q("claim_token") + ", " + q("lease_until") + ") VALUES (?, ?, ?, ?)")) {
            ps.setString(1, job.toString());
            ps.setString(2, node);
            ps.setString(3, token.toString());
            ps.setObject(4, utc(until));
            ps.executeUpdate();
        }
    }

    /** Extends one claim's lease: the heartbeat of a run that is still going. */
    public boolean renew(Connection c, UUID job, UUID token, Instant until) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + q(LEASES) + " SET " + q("lease_until") + " = ? WHERE "
                + q("asyncoperationid") + " = ? AND " + q("claim_token") + " = ?")) {
            ps.setObject(1, utc(until));
            ps.setString(2, job.toString());
            ps.setString(3, token.toString());
            return ps.executeUpdate() == 1;
        }
    }

    public void release(Connection c, UUID job) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + q(LEASES) + " WHERE " + q("asyncoperationid") + " = ?")) {
            ps.setString(1, job.toString());
            ps.executeUpdate();
        }
    }

    /**
     * Whether this claim still holds the job, locking its lease row until the transaction ends: a take-over skips a
     * locked lease, so a step that passed this check commits before anyone else can claim the job.
     */
    public boolean holds(Connection c, UUID job, UUID token) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + q(LEASES) + " WHERE " + q("asyncoperationid") + " = ? AND "
                + q("claim_token") + " = ?" + d.forUpdate())) {
            ps.setString(1, job.toString());
            ps.setString(2, token.toString());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Locks leases that ran out before {@code realNow}: their node died or stalled, and another takes the jobs over. */
    public List<UUID> lockExpiredLeases(Connection c, Instant realNow, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + q("asyncoperationid") + " FROM " + q(LEASES) + " WHERE " + q("lease_until")
                + " < ? ORDER BY " + q("lease_until") + " LIMIT ?" + d.forUpdateSkipLocked())) {
            ps.setObject(1, utc(realNow));
            ps.setInt(2, limit);
            return ids(ps);
        }
    }

    /** The checkpoint a job continues from, or null when it has not completed a step yet. */
    public String checkpoint(Connection c, UUID job) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + q("checkpoint") + " FROM " + q(PROGRESS) + " WHERE " + q("asyncoperationid") + " = ?")) {
            ps.setString(1, job.toString());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** Saves a job's progress, in the transaction of the step it follows. */
    public void saveCheckpoint(Connection c, UUID job, String checkpoint) throws SQLException {
        try (PreparedStatement up = c.prepareStatement("UPDATE " + q(PROGRESS) + " SET " + q("checkpoint") + " = ? WHERE " + q("asyncoperationid") + " = ?")) {
            up.setString(1, checkpoint);
            up.setString(2, job.toString());
            if (up.executeUpdate() == 1) {
                return;
            }
        }
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO " + q(PROGRESS) + " (" + q("asyncoperationid") + ", " + q("checkpoint") + ") VALUES (?, ?)")) {
            ins.setString(1, job.toString());
            ins.setString(2, checkpoint);
            ins.executeUpdate();
        }
    }

    /** Forgets a finished job's progress and lease. */
    public void forget(Connection c, UUID job) throws SQLException {
        release(c, job);
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + q(PROGRESS) + " WHERE " + q("asyncoperationid") + " = ?")) {
            ps.setString(1, job.toString());
            ps.executeUpdate();
        }
    }

    /**
     * Cancels, in one statement, every queued job of a workflow activation that is no longer active: Ready ones and
     * Suspended ones waiting for a time (Completed / Canceled). Jobs in progress are left to finish.
     */
    public int cancelQueued(Connection c, UUID activation, Instant now) throws SQLException {
        String sql = "UPDATE " + q(JOBS) + " SET " + q("statecode") + " = 3, " + q("statuscode") + " = 32, " + q("completedon") + " = ?, "
                + q("modifiedon") + " = ?, " + q("versionnumber") + " = " + d.nextValueExpression(SchemaBuilder.VERSION_SEQUENCE)
                + " WHERE " + q("workflowactivationid") + " = ? AND (" + q("statecode") + " = 0 OR (" + q("statecode") + " = 1 AND "
                + q("postponeuntil") + " < ?))";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, utc(now));
            ps.setObject(2, utc(now));
            ps.setString(3, activation.toString());
            ps.setObject(4, utc(FOREVER));
            return ps.executeUpdate();
        }
    }

    /**
     * Moves every Suspended job whose finite {@code postponeuntil} has passed back to Ready, in one statement: parked
     * jobs become Ready by themselves when their time comes, whether or not a worker is about. Answers how many.
     */
    public int wakeDue(Connection c, Instant now) throws SQLException {
        String sql = "UPDATE " + q(JOBS) + " SET " + q("statecode") + " = 0, " + q("statuscode") + " = 0, "
                + q("versionnumber") + " = " + d.nextValueExpression(SchemaBuilder.VERSION_SEQUENCE)
                + " WHERE " + q("statecode") + " = 1 AND " + q("postponeuntil") + " <= ? AND " + q("postponeuntil") + " < ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, utc(now));
            ps.setObject(2, utc(FOREVER));
            return ps.executeUpdate();
        }
    }

    /** Makes the jobs waiting for a change to this record Ready again, in one statement; answers how many. */
    public int wakeWaitingOn(Connection c, UUID record) throws SQLException {
        String sql = "UPDATE " + q(JOBS) + " SET " + q("statecode") + " = 0, " + q("statuscode") + " = 0, " + q("iswaitingforevent") + " = ?, "
                + q("postponeuntil") + " = NULL, "
                + q("versionnumber") + " = " + d.nextValueExpression(SchemaBuilder.VERSION_SEQUENCE)
                + " WHERE " + q("regardingobjectid") + " = ? AND " + q("statecode") + " = 1 AND " + q("iswaitingforevent") + " = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setBoolean(1, false);
            ps.setString(2, record.toString());
            ps.setBoolean(3, true);
            return ps.executeUpdate();
        }
    }

    /** How many system jobs have one state and status pair. */
    public record StateCount(int statecode, int statuscode, long count) {
    }

    /** How many of one workflow activation's jobs wait in one state (0 Ready, 1 Suspended), with the jobs' name. */
    public record WorkflowBacklog(UUID workflowActivationId, String name, int statecode, long count) {
    }

    /** Every system job counted by state and status, in one statement: what every node reports alike. */
    public List<StateCount> countByState(Connection c) throws SQLException {
        String sql = "SELECT " + q("statecode") + ", " + q("statuscode") + ", COUNT(*) FROM " + q(JOBS)
                + " GROUP BY " + q("statecode") + ", " + q("statuscode");
        List<StateCount> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (rs.getObject(1) != null && rs.getObject(2) != null) {
                    out.add(new StateCount(rs.getInt(1), rs.getInt(2), rs.getLong(3)));
                }
            }
        }
        return out;
    }

    /** The workflow jobs not yet running nor ended — Ready or Suspended — counted per workflow activation and state. */
    public List<WorkflowBacklog> backlogByWorkflow(Connection c) throws SQLException {
        String sql = "SELECT " + q("workflowactivationid") + ", MAX(" + q("name") + "), " + q("statecode") + ", COUNT(*) FROM " + q(JOBS)
                + " WHERE " + q("workflowactivationid") + " IS NOT NULL AND " + q("statecode") + " IN (?, ?)"
                + " GROUP BY " + q("workflowactivationid") + ", " + q("statecode");
        List<WorkflowBacklog> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, 0);
            ps.setInt(2, 1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new WorkflowBacklog(UUID.fromString(rs.getString(1).trim()), rs.getString(2), rs.getInt(3), rs.getLong(4)));
                }
            }
        }
        return out;
    }

    /** Deletes the leases and progress of jobs that no longer exist (after a reset or a bulk delete). */
    public void deleteAll(Connection c) throws SQLException {
        for (String t : List.of(LEASES, PROGRESS)) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + q(t))) {
                ps.executeUpdate();
            }
        }
    }

    private static List<UUID> ids(PreparedStatement ps) throws SQLException {
        List<UUID> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(UUID.fromString(rs.getString(1).trim()));
            }
        }
        return out;
    }
}
