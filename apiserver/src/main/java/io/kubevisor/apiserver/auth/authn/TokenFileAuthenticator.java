package io.kubevisor.apiserver.auth.authn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Static bearer tokens from a CSV file in Kubernetes' {@code --token-auth-file} format, one user per
 * line: {@code token,user,uid[,"group1,group2"]}. Fields may be double-quoted (a quote inside is
 * doubled), leading spaces are ignored, blank lines are skipped, further columns are ignored. A
 * token repeated later in the file replaces the earlier line, as in Kubernetes.
 *
 * <p>The file is read once; immutable and thread-safe. Tokens are held only as SHA-256 digests,
 * so a heap dump does not reveal them and lookups do not leak them through timing.
 */
public final class TokenFileAuthenticator implements Authenticator {

    private static final Logger LOG = LoggerFactory.getLogger(TokenFileAuthenticator.class);

    private final Map<String, UserInfo> usersByTokenDigest;

    private TokenFileAuthenticator(Map<String, UserInfo> usersByTokenDigest) {
        this.usersByTokenDigest = Map.copyOf(usersByTokenDigest);
    }

    /**
     * Reads a token file.
     *
     * @throws IllegalArgumentException naming the file and line, for a malformed line; the server
     *                                  should refuse to start
     * @throws UncheckedIOException     if the file cannot be read
     */
    public static TokenFileAuthenticator load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read token file '" + file + "'", e);
        }
        TokenFileAuthenticator a = parse(file.toString(), text);
        LOG.info("event=token_file_loaded path={} users={}", file, a.usersByTokenDigest.size());
        return a;
    }

    /**
     * Parses token file text.
     *
     * @param source the file name for error messages
     * @throws IllegalArgumentException naming the source and line, for a malformed line
     */
    public static TokenFileAuthenticator parse(String source, String text) {
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        var users = new HashMap<String, UserInfo>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            if (lines[i].isBlank()) {
                continue;
            }
            List<String> record;
            try {
                record = CsvLine.parse(lines[i]);
            } catch (IllegalArgumentException e) {
                throw malformed(source, lineNo, e.getMessage());
            }
            if (record.size() < 3) {
                throw malformed(source, lineNo, "must have at least 3 columns (token, user name, user uid), found "
                        + record.size());
            }
            String token = record.get(0);
            String name = record.get(1);
            if (token.isEmpty()) {
                throw malformed(source, lineNo, "empty token");
            }
            if (name.isEmpty()) {
                throw malformed(source, lineNo, "empty user name");
            }
            var groups = new ArrayList<String>();
            if (record.size() >= 4) {
                for (String g : record.get(3).split(",")) {
                    if (!g.isBlank()) {
                        groups.add(g.strip());
                    }
                }
            }
            var user = new UserInfo(name, record.get(2), groups, Map.of()).withAuthenticatedGroup();
            if (users.put(digest(token), user) != null) {
                LOG.warn("event=token_file_duplicate_token source={} line={} user={}", source, lineNo, name);
            }
        }
        return new TokenFileAuthenticator(users);
    }

    /** Number of distinct tokens loaded. */
    public int size() {
        return usersByTokenDigest.size();
    }

    @Override
    public Optional<UserInfo> authenticate(Credentials credentials) {
        if (credentials.bearerToken() == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(usersByTokenDigest.get(digest(credentials.bearerToken())));
    }

    private static IllegalArgumentException malformed(String source, int line, String why) {
        return new IllegalArgumentException("token file '" + source + "' line " + line + ": " + why);
    }

    private static String digest(String token) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }
}
