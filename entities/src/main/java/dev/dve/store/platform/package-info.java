/**
 * The platform's own bookkeeping tables — never entities, never readable through the Web API: stored secrets and
 * sign-in failures, the token signing key, the shared clock, the custom-activity map. Each class owns one table: its
 * DDL (created at start, if missing) and every statement on it, so SQL and dialect differences stay in this module;
 * the rules (hashing, lockout, key generation, clock arithmetic) live with their callers.
 */
package dev.dve.store.platform;
