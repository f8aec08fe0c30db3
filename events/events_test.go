package events

import (
	"testing"
	"time"
)

func TestLocalDeliversToEverySubscriber(t *testing.T) {
	b := NewLocal()
	c1, stop1 := b.Subscribe(4)
	c2, stop2 := b.Subscribe(4)
	defer stop2()
	b.Publish(Event{Kind: PostCreated, SpaceID: 3, Subject: 7})
	for _, c := range []<-chan Event{c1, c2} {
		select {
		case e := <-c:
			if e.Kind != PostCreated || e.Subject != 7 || e.At.IsZero() {
				t.Fatalf("got %+v", e)
			}
		case <-time.After(time.Second):
			t.Fatal("event not delivered")
		}
	}
	stop1()
	stop1() // a second stop is harmless
	b.Publish(Event{Kind: ReplyCreated})
	if e, ok := <-c1; ok {
		t.Fatalf("stopped subscriber received %+v", e)
	}
}

func TestLocalNeverBlocksOnASlowSubscriber(t *testing.T) {
	b := NewLocal()
	_, stop := b.Subscribe(1)
	defer stop()
	done := make(chan struct{})
	go func() {
		for i := 0; i < 100; i++ {
			b.Publish(Event{Kind: PostCreated})
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("publish blocked on a full subscriber")
	}
}
