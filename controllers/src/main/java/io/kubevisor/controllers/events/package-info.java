/** Writing core/v1 Events about objects, as client-go's event recorder does, for any controller. */
package io.kubevisor.controllers.events;
