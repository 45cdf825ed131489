package io.kubevisor.cli;

/** Entry point of the kubevisor command. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.out.println("kubevisor: nothing here yet");
    }
}
