package dev.dve.engine.workflow.xaml;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The VB expressions the process designer writes between brackets, read into expression trees. */
class ExpressionParserTest {
    private static Expr name(String n) {
        return new Expr.Name(n);
    }

    private static Expr lit(Object v) {
        return new Expr.Literal(v);
    }

    private static Expr dotted(String path) {
        String[] parts = path.split("\\.");
        Expr e = name(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            e = new Expr.Member(e, parts[i]);
        }
        return e;
    }

    private static Expr call(Expr target, Expr... args) {
        return new Expr.Call(target, List.of(args));
    }

    @Test
    void theDictionariesOfTheRunAreIndexedByKey() {
        assertEquals(call(name("InputEntities"), lit("primaryEntity")), ExpressionParser.parse("InputEntities(\"primaryEntity\")"));
        assertEquals(new Expr.Member(call(name("CreatedEntities"), lit("CreateStep1_localParameter#Temp")), "Id"),
                ExpressionParser.parse("CreatedEntities(\"CreateStep1_localParameter#Temp\").Id"));
        assertEquals(call(name("InputEntities"), lit("related_parentaccountid#account")),
                ExpressionParser.parse(" InputEntities( \"related_parentaccountid#account\" ) "));
    }

    @Test
    void anObjectArrayKeepsItsItemsInOrderWithTheDesignersTypeConstants() {
        assertEquals(new Expr.New("Object", List.of(), List.of(lit(1000L))), ExpressionParser.parse("New Object() { 1000 }"));
        assertEquals(new Expr.New("Object", List.of(), List.of(dotted("Microsoft.Xrm.Sdk.Workflow.WorkflowPropertyType.Money"), lit("2000.50"))),
                ExpressionParser.parse("New Object() { Microsoft.Xrm.Sdk.Workflow.WorkflowPropertyType.Money, \"2000.50\" }"));
        assertEquals(new Expr.New("Object", List.of(), List.of()), ExpressionParser.parse("New Object() {  }"));
    }

    @Test
    void constructorsTakeTheirArgumentsAndGenericOnesSkipTheirTypeList() {
        assertEquals(new Expr.New("EntityReference", List.of(lit("task"), new Expr.Member(call(name("CreatedEntities"), lit("CreateStep1_localParameter")), "Id")), List.of()),
                ExpressionParser.parse("New EntityReference(\"task\", CreatedEntities(\"CreateStep1_localParameter\").Id)"));
        assertEquals(new Expr.New("Entity", List.of(lit("account")), List.of()), ExpressionParser.parse("New Entity(\"account\")"));
        assertEquals(new Expr.New("Dictionary", List.of(), List.of()), ExpressionParser.parse("New Dictionary(Of System.String, System.Object)"));
        assertEquals(new Expr.New("Microsoft.Xrm.Sdk.InvalidPluginExecutionException", List.of(dotted("Microsoft.Xrm.Sdk.OperationStatus.Canceled")), List.of()),
                ExpressionParser.parse("New Microsoft.Xrm.Sdk.InvalidPluginExecutionException(Microsoft.Xrm.Sdk.OperationStatus.Canceled)"));
    }

    @Test
    void literalsAreTextNumbersBooleansAndNothing() {
        assertEquals(lit("say \"hi\""), ExpressionParser.parse("\"say \"\"hi\"\"\""));
        assertEquals(lit(42L), ExpressionParser.parse("42"));
        assertEquals(lit(new BigDecimal("2.50")), ExpressionParser.parse("2.50"));
        assertEquals(lit(true), ExpressionParser.parse("True"));
        assertEquals(lit(false), ExpressionParser.parse("false"));
        assertEquals(lit(null), ExpressionParser.parse("Nothing"));
    }

    @Test
    void anAttributeValueIsAnExpressionOnlyBetweenBrackets() {
        assertEquals(name("UpdateStep1_1"), ExpressionParser.parseValue("[UpdateStep1_1]"));
        assertEquals(lit("UpdateStep1_1"), ExpressionParser.parseValue("UpdateStep1_1"));
        assertEquals(lit(null), ExpressionParser.parseValue("{x:Null}"));
        assertEquals(lit(null), ExpressionParser.parseValue(null));
    }

    @Test
    void ampersandConcatenatesLikePlusFromLeftToRight() {
        assertEquals(new Expr.Binary("+", new Expr.Binary("+", name("Greeting"), lit(" (big)")), name("Suffix")),
                ExpressionParser.parse("Greeting & \" (big)\" & Suffix"));
        assertEquals(new Expr.Binary("-", new Expr.Binary("+", lit(1L), lit(2L)), lit(3L)), ExpressionParser.parse("1 + 2 - 3"));
    }

    @Test
    void theTimeoutComparisonOfTheDesigner() {
        Expr e = ExpressionParser.parse("DateTime.UtcNow >= WaitTimeoutStep3_2.Add(DirectCast(WaitTimeoutStep3_1, System.DateTime).ToUniversalTime())");
        Expr cast = call(name("DirectCast"), name("WaitTimeoutStep3_1"), dotted("System.DateTime"));
        assertEquals(new Expr.Binary(">=", dotted("DateTime.UtcNow"),
                call(new Expr.Member(name("WaitTimeoutStep3_2"), "Add"), call(new Expr.Member(cast, "ToUniversalTime")))), e);
    }

    @Test
    void iifAndIsNothingAreCallsOfTheirQualifiedNames() {
        assertEquals(call(dotted("Microsoft.VisualBasic.IIf"), call(dotted("Microsoft.VisualBasic.IsNothing"), name("X")), dotted("DateTime.MaxValue"), name("X")),
                ExpressionParser.parse("Microsoft.VisualBasic.IIf(Microsoft.VisualBasic.IsNothing(X), DateTime.MaxValue, X)"));
        assertEquals(call(new Expr.Member(name("O_3"), "ToString")), ExpressionParser.parse("O_3.ToString()"));
    }

    @Test
    void comparisonsBindTighterThanAndWhichBindsTighterThanOr() {
        // VB: a = 1 And b = 2 compares first, then combines
        assertEquals(new Expr.Binary("And", new Expr.Binary("=", name("a"), lit(1L)), new Expr.Binary("=", name("b"), lit(2L))),
                ExpressionParser.parse("a = 1 And b = 2"));
        // VB: a And b Or c is (a And b) Or c: with a False and b, c True it is True
        assertEquals(new Expr.Binary("Or", new Expr.Binary("And", name("a"), name("b")), name("c")), ExpressionParser.parse("a And b Or c"));
        assertEquals(new Expr.Binary("Or", name("a"), new Expr.Binary("And", name("b"), name("c"))), ExpressionParser.parse("a OrElse b AndAlso c"));
        // the same operators chain from the left
        assertEquals(new Expr.Binary("Or", new Expr.Binary("Or", name("a"), name("b")), name("c")), ExpressionParser.parse("a Or b Or c"));
        // Not applies to the comparison after it
        assertEquals(new Expr.Not(new Expr.Binary("=", name("a"), lit(5L))), ExpressionParser.parse("Not a = 5"));
        assertEquals(new Expr.Binary("And", new Expr.Not(name("a")), name("b")), ExpressionParser.parse("Not a And b"));
        // parentheses group
        assertEquals(new Expr.Binary("And", name("a"), new Expr.Binary("Or", name("b"), name("c"))), ExpressionParser.parse("a And (b Or c)"));
    }

    @Test
    void keywordsAreWholeWordsOnly() {
        // a variable that starts with a keyword is a name, not the keyword
        assertEquals(name("Notes"), ExpressionParser.parse("Notes"));
        assertEquals(name("Order_1"), ExpressionParser.parse("Order_1"));
        assertEquals(new Expr.Binary("=", name("Android"), name("Newest")), ExpressionParser.parse("Android = Newest"));
    }

    @Test
    void whatIsOutsideTheGrammarIsAnErrorNamingTheExpression() {
        XamlException trailing = assertThrows(XamlException.class, () -> ExpressionParser.parse("a * b"));
        assertEquals("Unexpected '* b' in expression [a * b]", trailing.getMessage());
        XamlException early = assertThrows(XamlException.class, () -> ExpressionParser.parse("a + "));
        assertTrue(early.getMessage().contains("ends early"), early.getMessage());
        XamlException string = assertThrows(XamlException.class, () -> ExpressionParser.parse("\"open"));
        assertTrue(string.getMessage().contains("Unterminated string"), string.getMessage());
        XamlException paren = assertThrows(XamlException.class, () -> ExpressionParser.parse("InputEntities(\"primaryEntity\""));
        assertTrue(paren.getMessage().contains("Expected ')'"), paren.getMessage());
        XamlException brace = assertThrows(XamlException.class, () -> ExpressionParser.parse("New Object() { 1, 2"));
        assertTrue(brace.getMessage().contains("Expected '}'"), brace.getMessage());
        XamlException generic = assertThrows(XamlException.class, () -> ExpressionParser.parse("New Dictionary(Of System.String"));
        assertTrue(generic.getMessage().contains("Unbalanced"), generic.getMessage());
        assertThrows(XamlException.class, () -> ExpressionParser.parse(""));
        assertThrows(XamlException.class, () -> ExpressionParser.parseValue("[]"));
    }

    @Test
    void aNumberTooLongOrWithTwoPointsIsAnErrorOfTheExpression() {
        XamlException big = assertThrows(XamlException.class, () -> ExpressionParser.parse("New Object() { 99999999999999999999 }"));
        assertTrue(big.getMessage().contains("99999999999999999999"), big.getMessage());
        XamlException points = assertThrows(XamlException.class, () -> ExpressionParser.parse("1.2.3"));
        assertTrue(points.getMessage().contains("1.2.3"), points.getMessage());
    }
}
