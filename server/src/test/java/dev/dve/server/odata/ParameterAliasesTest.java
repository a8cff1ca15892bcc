package dev.dve.server.odata;

import org.junit.jupiter.api.Test;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ParameterAliasesTest {
    private static String decoded(String raw) {
        return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    }

    @Test
    void aSingleQuotedRecordAliasBecomesStrictJson() {
        String raw = "@t=%7B'@odata.id':'accounts(00000000-0000-0000-0000-000000000001)'%7D";
        assertEquals("@t={\"@odata.id\":\"accounts(00000000-0000-0000-0000-000000000001)\"}", decoded(ParameterAliases.normalize(raw)));
    }

    @Test
    void everythingElsePassesByteForByte() {
        assertNull(ParameterAliases.normalize((String) null));
        String options = "$select=name&$filter=name%20eq%20'%7Bx%7D'&@p='it''s'&@q=%7B%22a%22:1%7D";
        assertEquals(options, ParameterAliases.normalize(options), "filters, string aliases and strict JSON are Olingo's");
        String broken = "@t=%7B'@odata.id':'accounts(1)'";
        assertEquals(broken, ParameterAliases.normalize(broken), "not an object: left for Olingo to refuse");
    }
}
