// Package metrics is a placeholder until the metrics package lands.
package metrics

import "time"

func StreamOpened()                    {}
func StreamClosed()                    {}
func EventDelivered(lag time.Duration) {}
func EventsDropped(n int)              {}
