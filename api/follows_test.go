package api_test

import (
	"strings"
	"testing"

	"relais"
)

// TestFollows: following a thread tells of its replies, following a space
// of its new threads; who may not read them may not follow them (a thread
// they may not see is an unknown id; a community they see but may not read
// answers its rule); stopping ends it.
func TestFollows(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *env) {
		paul, victor, samir, lea := e.as(t, "paul"), e.as(t, "victor"), e.as(t, "samir"), e.as(t, "lea")
		inno := id(e.spaces[innovation])
		var p struct{ ID int64 }
		paul.post(t, "/api/v1/spaces/"+inno+"/posts", map[string]string{"kind": "question", "title": "Maquette ?", "body": "Pour jeudi."}).wantStatus(t, 201).decode(t, &p)
		thread := "/api/v1/posts/" + id(p.ID) + "/follow"

		var f struct{ Following bool }
		victor.get(t, thread).wantStatus(t, 200).decode(t, &f)
		if f.Following {
			t.Fatal("victor follows a thread before asking")
		}
		victor.put(t, thread, nil).wantStatus(t, 200).decode(t, &f)
		if !f.Following {
			t.Fatal("PUT follow: not following")
		}
		victor.put(t, thread, nil).wantStatus(t, 200) // twice is harmless
		lea.put(t, thread, nil).wantStatus(t, 404)
		// She sees that the community exists: the rule tells why not.
		if r := lea.put(t, "/api/v1/spaces/"+inno+"/follow", nil).wantStatus(t, 403); !strings.Contains(string(r.Body), "community.non_member") {
			t.Errorf("lea following a community she is not in: %s", r.Body)
		}

		samir.post(t, "/api/v1/posts/"+id(p.ID)+"/replies", map[string]string{"body": "Je l'ai."}).wantStatus(t, 201)
		if victor.countNotifs(t, relais.NotifyFollowedReply) != 1 || paul.countNotifs(t, relais.NotifyReply) != 1 {
			t.Fatalf("after samir's reply: victor %d followed replies, paul %d replies; want 1 and 1",
				victor.countNotifs(t, relais.NotifyFollowedReply), paul.countNotifs(t, relais.NotifyReply))
		}
		// Victor's own reply tells him nothing.
		victor.post(t, "/api/v1/posts/"+id(p.ID)+"/replies", map[string]string{"body": "Merci."}).wantStatus(t, 201)
		if n := victor.countNotifs(t, relais.NotifyFollowedReply); n != 1 {
			t.Errorf("victor told of his own reply: %d", n)
		}
		victor.del(t, thread).wantStatus(t, 200).decode(t, &f)
		if f.Following {
			t.Fatal("DELETE follow: still following")
		}
		samir.post(t, "/api/v1/posts/"+id(p.ID)+"/replies", map[string]string{"body": "Encore."}).wantStatus(t, 201)
		if n := victor.countNotifs(t, relais.NotifyFollowedReply); n != 1 {
			t.Errorf("victor, no longer following, was told: %d", n)
		}

		// A space: each new thread.
		victor.put(t, "/api/v1/spaces/"+inno+"/follow", nil).wantStatus(t, 200)
		paul.post(t, "/api/v1/spaces/"+inno+"/posts", map[string]string{"kind": "discussion", "title": "Atelier", "body": "Jeudi."}).wantStatus(t, 201)
		if n := victor.countNotifs(t, relais.NotifyFollowedThread); n != 1 {
			t.Errorf("victor following the space: %d new-thread notifications; want 1", n)
		}
		if n := paul.countNotifs(t, relais.NotifyFollowedThread); n != 0 {
			t.Errorf("paul told of his own thread: %d", n)
		}
	})
}
