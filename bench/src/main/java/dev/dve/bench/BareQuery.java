package dev.dve.bench;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Types;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * B3's baseline: a Jetty 12 handler that runs one fixed SQL query through JDBC (a pooled H2 connection on the
 * emulator's database file) and writes the rows as a JSON {@code {"value":[{column: value, …}, …]}}.
 *
 * <p>Usage: {@code BareQuery <port> <jdbc url> <sql file>}.
 */
public final class BareQuery {
    private BareQuery() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        JdbcConnectionPool pool = JdbcConnectionPool.create(args[1], "sa", "");
        pool.setMaxConnections(10); // the emulator's pool size (DatabaseConfig)
        String sql = Files.readString(Path.of(args[2])).strip();
        JsonFactory json = new JsonFactory();
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                ByteArrayOutputStream out = new ByteArrayOutputStream(16_384);
                try (Connection connection = pool.getConnection();
                        PreparedStatement statement = connection.prepareStatement(sql);
                        ResultSet rows = statement.executeQuery();
                        JsonGenerator writer = json.createGenerator(out, JsonEncoding.UTF8)) {
                    ResultSetMetaData columns = rows.getMetaData();
                    writer.writeStartObject();
                    writer.writeArrayFieldStart("value");
                    while (rows.next()) {
                        writer.writeStartObject();
                        for (int i = 1; i <= columns.getColumnCount(); i++) {
                            String name = columns.getColumnLabel(i).toLowerCase();
                            Object value = rows.getObject(i);
                            if (value == null) {
                                writer.writeNullField(name);
                            } else if (columns.getColumnType(i) == Types.DECIMAL || columns.getColumnType(i) == Types.NUMERIC) {
                                writer.writeNumberField(name, rows.getBigDecimal(i));
                            } else if (value instanceof Integer n) {
                                writer.writeNumberField(name, n);
                            } else {
                                writer.writeStringField(name, value.toString());
                            }
                        }
                        writer.writeEndObject();
                    }
                    writer.writeEndArray();
                    writer.writeEndObject();
                }
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; odata.metadata=minimal");
                response.write(true, ByteBuffer.wrap(out.toByteArray()), callback);
                return true;
            }
        });
        server.start();
        System.out.println("bare query on " + port);
        server.join();
    }
}
