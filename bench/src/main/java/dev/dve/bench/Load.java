package dev.dve.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * bench/run's load generator when {@code wrk} is not installed: {@code connections} threads, each sending requests
 * back to back for {@code seconds}; prints {@code requests/s p99-ms non-2xx} on one line.
 *
 * <p>Usage: {@code Load <url> <seconds> <connections> [GET|POST] [body] [-H "Name: value"]…}.
 */
public final class Load {
    private Load() {
    }

    public static void main(String[] args) throws Exception {
        URI url = URI.create(args[0]);
        long seconds = Long.parseLong(args[1]);
        int connections = Integer.parseInt(args[2]);
        String method = "GET";
        String body = null;
        List<String[]> headers = new ArrayList<>();
        for (int i = 3; i < args.length; i++) {
            if (args[i].equals("-H")) {
                String header = args[++i];
                int colon = header.indexOf(':');
                headers.add(new String[] {header.substring(0, colon).strip(), header.substring(colon + 1).strip()});
            } else if (args[i].equals("POST") || args[i].equals("GET")) {
                method = args[i];
            } else {
                body = args[i];
            }
        }
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest.Builder builder = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30));
        headers.forEach(h -> builder.header(h[0], h[1]));
        HttpRequest request = body == null ? builder.method(method, HttpRequest.BodyPublishers.noBody()).build()
                : builder.method(method, HttpRequest.BodyPublishers.ofString(body)).build();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        AtomicLong failures = new AtomicLong();
        long[][] latencies = new long[connections][];
        int[] counts = new int[connections];
        Thread[] threads = new Thread[connections];
        for (int t = 0; t < connections; t++) {
            int slot = t;
            latencies[slot] = new long[1 << 16];
            threads[t] = new Thread(() -> {
                while (System.nanoTime() < end) {
                    long start = System.nanoTime();
                    try {
                        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                        if (response.statusCode() / 100 != 2) {
                            failures.incrementAndGet();
                        }
                    } catch (Exception e) {
                        failures.incrementAndGet();
                    }
                    if (counts[slot] == latencies[slot].length) {
                        latencies[slot] = Arrays.copyOf(latencies[slot], counts[slot] * 2);
                    }
                    latencies[slot][counts[slot]++] = System.nanoTime() - start;
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int at = 0;
        for (int t = 0; t < connections; t++) {
            System.arraycopy(latencies[t], 0, all, at, counts[t]);
            at += counts[t];
        }
        Arrays.sort(all);
        double p99 = total == 0 ? 0 : all[Math.min(total - 1, (int) Math.ceil(total * 0.99) - 1)] / 1e6;
        System.out.printf("%.1f %.2f %d%n", total / (double) seconds, p99, failures.get());
    }
}
