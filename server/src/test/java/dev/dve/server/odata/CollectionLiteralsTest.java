package dev.dve.server.odata;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CollectionLiteralsTest {
    @Test
    void singleQuotedElementsBecomeJsonStrings() {
        assertEquals("In(PropertyName='name',PropertyValues=[\"a\",\"c\"])",
                CollectionLiterals.rewrite("In(PropertyName='name',PropertyValues=['a','c'])"));
        assertEquals("f(PropertyValues=[\"it's\",\"say \\\"hi\\\"\",\"back\\\\slash\"])",
                CollectionLiterals.rewrite("f(PropertyValues=['it''s','say \"hi\"','back\\slash'])"));
    }

    @Test
    void jsonNumbersAndEmptyArraysStayAsTheyAre() {
        assertEquals("f(PropertyValues=[\"a\",2,\"b\"])", CollectionLiterals.rewrite("f(PropertyValues=[\"a\", 2 ,'b'])"));
        assertEquals("f(PropertyValues=[])", CollectionLiterals.rewrite("f(PropertyValues=[ ])"));
    }

    @Test
    void textInsideStringLiteralsIsNotTouched() {
        String filter = "name eq 'PropertyValues=[''x'']'";
        assertEquals(filter, CollectionLiterals.rewrite(filter));
    }

    @Test
    void whatItCannotReadIsLeftForOlingo() {
        assertEquals("f(PropertyValues=['a'", CollectionLiterals.rewrite("f(PropertyValues=['a'"));
        assertEquals("f(PropertyValues=['a' 'b'])", CollectionLiterals.rewrite("f(PropertyValues=['a' 'b'])"));
        assertEquals("name eq 'open", CollectionLiterals.rewrite("name eq 'open"));
    }

    @Test
    void onlyFilterAndExpandAreRewrittenInTheRawQuery() {
        assertEquals("$select=name&$filter=In%28PropertyName%3D%27name%27%2CPropertyValues%3D%5B%22a%22%5D%29&x=PropertyValues=['a']",
                CollectionLiterals.normalize("$select=name&$filter=In(PropertyName='name',PropertyValues=%5B'a'%5D)&x=PropertyValues=['a']"));
        assertEquals("$filter=name%20eq%20'a'", CollectionLiterals.normalize("$filter=name%20eq%20'a'"));
        assertEquals("$filter=%zz PropertyValues", CollectionLiterals.normalize("$filter=%zz PropertyValues"));
    }
}
