package dev.dve.metadata;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** The allowed values of a choice, state, status or yes/no attribute, with their labels. */
public final class OptionSetMetadata {
    private final String name;
    private final Map<Integer, OptionMetadata> options;

    public OptionSetMetadata(String name, List<OptionMetadata> options) {
        this.name = name;
        this.options = new LinkedHashMap<>();
        for (OptionMetadata o : options) {
            this.options.put(o.value(), o);
        }
    }

    public String name() {
        return name;
    }

    public List<OptionMetadata> options() {
        return List.copyOf(options.values());
    }

    public Optional<OptionMetadata> option(int value) {
        return Optional.ofNullable(options.get(value));
    }

    public boolean contains(int value) {
        return options.containsKey(value);
    }

    public String acceptedValues() {
        return options.keySet().stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
