package io.kubevisor.api.table;

import static io.kubevisor.api.table.Fixtures.NOW;
import static io.kubevisor.api.table.Fixtures.ago;
import static io.kubevisor.api.table.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.kubevisor.api.GroupVersionKind;
import tools.jackson.databind.JsonNode;

class PodPrinterTest {

    private final TablePrinter printer = TablePrinters.forKind(new GroupVersionKind("", "v1", "Pod"));

    private List<Object> cells(String pod) {
        return printer.cells(json(pod), NOW);
    }

    @Test
    void columnsAreKubectls() {
        assertThat(printer.columns()).extracting(ColumnDefinition::name).containsExactly(
                "Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node", "Readiness Gates");
        assertThat(printer.columns()).extracting(ColumnDefinition::priority).containsExactly(0, 0, 0, 0, 0, 1, 1, 1, 1);
        assertThat(printer.columns().getFirst().format()).isEqualTo("name");
    }

    @Test
    void runningPod() {
        assertThat(cells("""
                {'metadata':{'name':'web-1','creationTimestamp':'%s'},
                 'spec':{'nodeName':'node-a','containers':[{'name':'app'},{'name':'sidecar'}]},
                 'status':{'phase':'Running','podIP':'10.244.0.7','podIPs':[{'ip':'10.244.0.7'}],
                   'conditions':[{'type':'Ready','status':'True'}],
                   'containerStatuses':[
                     {'name':'app','ready':true,'restartCount':0,'state':{'running':{'startedAt':'%s'}}},
                     {'name':'sidecar','ready':true,'restartCount':0,'state':{'running':{'startedAt':'%s'}}}]}}
                """.formatted(ago(300), ago(290), ago(290))))
                .containsExactly("web-1", "2/2", "Running", "0", "5m", "10.244.0.7", "node-a", "<none>", "<none>");
    }

    @Test
    void pendingPodWithoutStatus() {
        assertThat(cells("{'metadata':{'name':'p'},'spec':{'containers':[{'name':'c'}]},'status':{'phase':'Pending'}}"))
                .containsExactly("p", "0/1", "Pending", "0", "<unknown>", "<none>", "<none>", "<none>", "<none>");
    }

    @Test
    void crashLoopShowsRestartsWithTheLastRestart() {
        assertThat(cells("""
                {'metadata':{'name':'crash','creationTimestamp':'%s'},'spec':{'containers':[{'name':'c'}]},
                 'status':{'phase':'Running','containerStatuses':[{'name':'c','ready':false,'restartCount':4,
                   'state':{'waiting':{'reason':'CrashLoopBackOff','message':'back-off 1m20s'}},
                   'lastState':{'terminated':{'exitCode':1,'reason':'Error','finishedAt':'%s'}}}]}}
                """.formatted(ago(3 * 3600 + 600), ago(75))))
                .startsWith("crash", "0/1", "CrashLoopBackOff", "4 (75s ago)", "3h10m");
    }

    @Test
    void waitingForImage() {
        assertThat(cells("""
                {'metadata':{'name':'p'},'spec':{'containers':[{'name':'c'}]},
                 'status':{'phase':'Pending','containerStatuses':[{'name':'c','ready':false,'restartCount':0,
                   'state':{'waiting':{'reason':'ContainerCreating'}}}]}}""").get(2)).isEqualTo("ContainerCreating");
    }

    @Test
    void terminatingPod() {
        assertThat(cells("""
                {'metadata':{'name':'p','deletionTimestamp':'%s'},'spec':{'containers':[{'name':'c'}]},
                 'status':{'phase':'Running','containerStatuses':[{'name':'c','ready':true,'restartCount':0,
                   'state':{'running':{}}}]}}""".formatted(ago(1))).subList(1, 3))
                .containsExactly("1/1", "Terminating");
    }

    @Test
    void deletedPodOnALostNodeIsUnknown() {
        assertThat(cells("""
                {'metadata':{'name':'p','deletionTimestamp':'%s'},'spec':{'containers':[{'name':'c'}]},
                 'status':{'phase':'Running','reason':'NodeLost'}}""".formatted(ago(1))).get(2)).isEqualTo("Unknown");
    }

    @Test
    void completedPodIsNotTerminatingEvenWhenDeleted() {
        assertThat(cells("""
                {'metadata':{'name':'job-x','deletionTimestamp':'%s'},'spec':{'containers':[{'name':'c'}]},
                 'status':{'phase':'Succeeded','containerStatuses':[{'name':'c','ready':false,'restartCount':0,
                   'state':{'terminated':{'exitCode':0,'reason':'Completed'}}}]}}""".formatted(ago(1))).subList(1, 3))
                .containsExactly("0/1", "Completed");
    }

    @Test
    void initContainersCountUp() {
        String pod = """
                {'metadata':{'name':'p'},'spec':{'initContainers':[{'name':'i1'},{'name':'i2'}],
                   'containers':[{'name':'c'}]},
                 'status':{'phase':'Pending','initContainerStatuses':[
                   {'name':'i1','ready':true,'restartCount':0,'state':{'terminated':{'exitCode':0,'reason':'Completed'}}},
                   {'name':'i2','ready':false,'restartCount':0,'state':{'running':{}}}],
                  'containerStatuses':[{'name':'c','ready':false,'restartCount':0,
                   'state':{'waiting':{'reason':'PodInitializing'}}}]}}""";
        assertThat(cells(pod).subList(1, 3)).containsExactly("0/1", "Init:1/2");
    }

    @Test
    void failingInitContainer() {
        assertThat(cells("""
                {'metadata':{'name':'p'},'spec':{'initContainers':[{'name':'i1'}],'containers':[{'name':'c'}]},
                 'status':{'phase':'Pending','initContainerStatuses':[{'name':'i1','restartCount':2,
                   'state':{'waiting':{'reason':'CrashLoopBackOff'}}}]}}""").subList(2, 4))
                .containsExactly("Init:CrashLoopBackOff", "2");
        assertThat(cells("""
                {'metadata':{'name':'p'},'spec':{'initContainers':[{'name':'i1'}],'containers':[{'name':'c'}]},
                 'status':{'phase':'Pending','initContainerStatuses':[{'name':'i1','restartCount':0,
                   'state':{'terminated':{'exitCode':3}}}]}}""").get(2)).isEqualTo("Init:ExitCode:3");
    }

    @Test
    void sidecarInitContainersCountAsContainers() {
        assertThat(cells("""
                {'metadata':{'name':'p'},'spec':{'initContainers':[{'name':'proxy','restartPolicy':'Always'}],
                   'containers':[{'name':'c'}]},
                 'status':{'phase':'Running','conditions':[{'type':'Initialized','status':'True'},
                     {'type':'Ready','status':'True'}],
                   'initContainerStatuses':[{'name':'proxy','ready':true,'started':true,'restartCount':1,
                     'state':{'running':{}}}],
                   'containerStatuses':[{'name':'c','ready':true,'restartCount':0,'state':{'running':{}}}]}}""")
                .subList(1, 4)).containsExactly("2/2", "Running", "1");
    }

    @Test
    void completedContainerBesideARunningOneShowsRunningOrNotReady() {
        String pod = """
                {'metadata':{'name':'p'},'spec':{'containers':[{'name':'a'},{'name':'b'}]},
                 'status':{'phase':'Running','conditions':[{'type':'Ready','status':'%s'}],'containerStatuses':[
                   {'name':'a','ready':false,'restartCount':0,'state':{'terminated':{'exitCode':0,'reason':'Completed'}}},
                   {'name':'b','ready':true,'restartCount':0,'state':{'running':{}}}]}}""";
        assertThat(cells(pod.formatted("True")).get(2)).isEqualTo("Running");
        assertThat(cells(pod.formatted("False")).get(2)).isEqualTo("NotReady");
    }

    @Test
    void evictedAndGatedPods() {
        assertThat(cells("{'metadata':{'name':'p'},'spec':{'containers':[{'name':'c'}]},"
                + "'status':{'phase':'Failed','reason':'Evicted'}}").get(2)).isEqualTo("Evicted");
        assertThat(cells("{'metadata':{'name':'p'},'spec':{'containers':[{'name':'c'}]},'status':{'phase':'Pending',"
                + "'conditions':[{'type':'PodScheduled','status':'False','reason':'SchedulingGated'}]}}").get(2))
                .isEqualTo("SchedulingGated");
    }

    @Test
    void readinessGatesAndNominatedNode() {
        JsonNode pod = json("""
                {'metadata':{'name':'p'},'spec':{'containers':[{'name':'c'}],
                   'readinessGates':[{'conditionType':'example.com/lb'},{'conditionType':'example.com/dns'}]},
                 'status':{'phase':'Pending','nominatedNodeName':'node-b',
                   'conditions':[{'type':'example.com/lb','status':'True'}]}}""");
        assertThat(printer.cells(pod, NOW).subList(7, 9)).containsExactly("node-b", "1/2");
    }
}
