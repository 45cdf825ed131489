package io.kubevisor.api.table;

import static io.kubevisor.api.table.ColumnDefinition.ageColumn;
import static io.kubevisor.api.table.ColumnDefinition.nameColumn;
import static io.kubevisor.api.table.ColumnDefinition.string;
import static io.kubevisor.api.table.ColumnDefinition.wide;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;

/** Printers for leases, RBAC bindings, endpoint slices, and the default table. */
final class ClusterPrinters {

    private ClusterPrinters() {
    }

    /**
     * The table Kubernetes' generic registry gives kinds without a printer of their own (roles,
     * cluster roles, limit ranges, reviews, custom resources): NAME and CREATED AT.
     */
    static TablePrinter defaults() {
        return new RowPrinter(List.of(nameColumn(),
                new ColumnDefinition("Created At", "date", "", ColumnDefinition.AGE_DOC, 0)),
                (o, now) -> List.of(Cells.name(o), Cells.createdAt(o)));
    }

    static TablePrinter leases() {
        return new RowPrinter(List.of(nameColumn(), string("Holder", "holderIdentity contains the identity of the holder "
                        + "of a current lease."), ageColumn()),
                (o, now) -> List.of(Cells.name(o), Cells.text(o, "/spec/holderIdentity"), Cells.age(o, now)));
    }

    /** RoleBindings and ClusterRoleBindings. */
    static TablePrinter bindings(String what) {
        return new RowPrinter(List.of(nameColumn(), string("Role", "RoleRef can reference a Role in the current namespace "
                        + "or a ClusterRole in the global namespace."), ageColumn(),
                wide("Users", "Users in the " + what), wide("Groups", "Groups in the " + what),
                wide("ServiceAccounts", "ServiceAccounts in the " + what)),
                (o, now) -> {
                    List<String> users = new ArrayList<>();
                    List<String> groups = new ArrayList<>();
                    List<String> sas = new ArrayList<>();
                    for (JsonNode s : o.path("subjects")) {
                        String n = s.path("name").asString("");
                        switch (s.path("kind").asString("")) {
                            case "ServiceAccount" -> sas.add(s.path("namespace").asString("") + "/" + n);
                            case "User" -> users.add(n);
                            case "Group" -> groups.add(n);
                            default -> { }
                        }
                    }
                    String role = Cells.text(o, "/roleRef/kind") + "/" + Cells.text(o, "/roleRef/name");
                    return List.of(Cells.name(o), role, Cells.age(o, now), String.join(", ", users),
                            String.join(", ", groups), String.join(", ", sas));
                });
    }

    static TablePrinter endpointSlices() {
        return new RowPrinter(List.of(nameColumn(), string("AddressType", "addressType specifies the type of address "
                        + "carried by this EndpointSlice."),
                string("Ports", "ports specifies the list of network ports exposed by each endpoint in this slice."),
                string("Endpoints", "endpoints is a list of unique endpoints in this slice."), ageColumn()),
                (o, now) -> {
                    List<String> ports = new ArrayList<>();
                    int portCount = 0;
                    for (JsonNode p : o.path("ports")) {
                        if (ports.size() < 3) {
                            ports.add(p.path("port").isNumber() ? Long.toString(p.path("port").asLong())
                                    : p.path("name").isString() ? p.path("name").asString() : "*");
                        }
                        portCount++;
                    }
                    List<String> addresses = new ArrayList<>();
                    int addressCount = 0;
                    for (JsonNode e : o.path("endpoints")) {
                        for (JsonNode a : e.path("addresses")) {
                            if (addresses.size() < 3) {
                                addresses.add(a.asString(""));
                            }
                            addressCount++;
                        }
                    }
                    return List.of(Cells.name(o), Cells.text(o, "/addressType"), withMore(ports, portCount),
                            withMore(addresses, addressCount), Cells.age(o, now));
                });
    }

    /** listWithMoreString: up to three items, "+ N more...", or "&lt;unset&gt;" when empty. */
    private static String withMore(List<String> shown, int total) {
        String joined = String.join(",", shown);
        if (total > shown.size()) {
            return joined + " + " + (total - shown.size()) + " more...";
        }
        return joined.isEmpty() ? "<unset>" : joined;
    }
}
