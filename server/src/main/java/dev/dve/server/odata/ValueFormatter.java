package dev.dve.server.odata;

import dev.dve.metadata.AttributeMetadata;
import dev.dve.metadata.OptionMetadata;
import dev.dve.record.EntityReference;

import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The {@code OData.Community.Display.V1.FormattedValue} of a value, formatted the way an en-US user in UTC sees
 * it: option labels, lookup names, {@code $20,000.00}, {@code 1,200}, {@code 4/7/2023 2:59 PM}.
 */
final class ValueFormatter {
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("M/d/yyyy h:mm a", Locale.US).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("M/d/yyyy", Locale.US).withZone(ZoneOffset.UTC);
    private static final DecimalFormatSymbols US = DecimalFormatSymbols.getInstance(Locale.US);

    private ValueFormatter() {
    }

    /** The formatted value, or null when the attribute type has none. */
    static String format(AttributeMetadata a, Object value, String currencySymbol) {
        if (value == null) {
            return null;
        }
        return switch (a.type()) {
            case PICKLIST, STATE, STATUS -> a.optionSet().option((Integer) value).map(OptionMetadata::label).orElse(value.toString());
            case BOOLEAN -> a.optionSet().option(Boolean.TRUE.equals(value) ? 1 : 0).map(OptionMetadata::label).orElse(value.toString());
            case LOOKUP, OWNER, CUSTOMER -> ((EntityReference) value).name();
            case MULTISELECTPICKLIST -> java.util.Arrays.stream(value.toString().split(",")).map(String::trim)
                    .map(v -> a.optionSet().option(Integer.parseInt(v)).map(OptionMetadata::label).orElse(v))
                    .collect(java.util.stream.Collectors.joining("; "));
            case MONEY -> currencySymbol + new DecimalFormat("#,##0.00", US).format(value);
            case INTEGER, BIGINT -> new DecimalFormat("#,##0", US).format(value);
            case DECIMAL -> new DecimalFormat("#,##0." + "0".repeat(Math.max(0, Math.min(a.precision(), 10))), US).format(value);
            case DOUBLE -> new DecimalFormat("#,##0.#####", US).format(value);
            case DATETIME -> (a.dateOnly() ? DATE : DATE_TIME).format((Instant) value);
            default -> null;
        };
    }

    /** BigDecimal as plain JSON number text (never exponent notation). */
    static String plain(BigDecimal d) {
        return d.toPlainString();
    }
}
