package relais_test

import (
	"strings"
	"testing"
	"time"

	"relais"
)

func TestNewTaskValidate(t *testing.T) {
	for _, tc := range []struct {
		name  string
		in    relais.NewTask
		field string // "" when valid
	}{
		{"valid", relais.NewTask{Title: " Appeler ", OwnerLogin: " paul ", DueOn: "2027-01-31"}, ""},
		{"no due date", relais.NewTask{Title: "Appeler", OwnerLogin: "paul"}, ""},
		{"empty title", relais.NewTask{Title: "  ", OwnerLogin: "paul"}, "title"},
		{"long title", relais.NewTask{Title: strings.Repeat("é", 201), OwnerLogin: "paul"}, "title"},
		{"NUL", relais.NewTask{Title: "a\x00b", OwnerLogin: "paul"}, "title"},
		{"no owner", relais.NewTask{Title: "Appeler"}, "owner_login"},
		{"bad date", relais.NewTask{Title: "Appeler", OwnerLogin: "paul", DueOn: "31/01/2027"}, "due_on"},
		{"impossible date", relais.NewTask{Title: "Appeler", OwnerLogin: "paul", DueOn: "2027-02-30"}, "due_on"},
		{"far date", relais.NewTask{Title: "Appeler", OwnerLogin: "paul", DueOn: "9999-01-01"}, "due_on"},
		{"negative reply", relais.NewTask{Title: "Appeler", OwnerLogin: "paul", ReplyID: -1}, "reply_id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			err := in.Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				if in.Title != strings.TrimSpace(tc.in.Title) || in.OwnerLogin != strings.TrimSpace(tc.in.OwnerLogin) {
					t.Errorf("not trimmed: %+v", in)
				}
				return
			}
			e := relais.AsError(err)
			if e.Code != relais.EINVALID || e.Field != tc.field || e.Message == "" || e.MessageFR == "" || e.Message == e.MessageFR {
				t.Errorf("error %+v, want an EINVALID on %s in English and French", e, tc.field)
			}
		})
	}
}

func TestTaskChangeAndStatuses(t *testing.T) {
	var c relais.TaskChange
	if err := c.Validate(); relais.ErrorCode(err) != relais.EINVALID {
		t.Errorf("an empty change: %v", err)
	}
	due := ""
	c = relais.TaskChange{DueOn: &due}
	if err := c.Validate(); err != nil || *c.DueOn != "" {
		t.Errorf("clearing the due date: %v", err)
	}
	for _, s := range []string{"", "open", "done", "all"} {
		if _, err := relais.ParseTaskStatus(s); err != nil {
			t.Errorf("task status %q: %v", s, err)
		}
	}
	if _, err := relais.ParseTaskStatus("late"); relais.ErrorCode(err) != relais.EINVALID {
		t.Error("task status late accepted")
	}
	if _, err := relais.ParseProblemStatus("closed"); relais.ErrorCode(err) != relais.EINVALID {
		t.Error("problem status closed accepted")
	}
	now := time.Date(2026, 5, 10, 23, 0, 0, 0, time.UTC)
	for due, want := range map[string]bool{"2026-05-09": true, "2026-05-10": false, "": false} {
		k := relais.Task{DueOn: due}
		if k.MarkOverdue(now); k.Overdue != want {
			t.Errorf("due %q: overdue %v", due, k.Overdue)
		}
	}
	k := relais.Task{DueOn: "2020-01-01", Done: true}
	if k.MarkOverdue(now); k.Overdue {
		t.Error("a done task is overdue")
	}
}

func TestNewPracticeValidate(t *testing.T) {
	p := relais.NewPractice{Title: " Réunion ", Summary: " Dix minutes ", Tags: []string{"#Rituel", "rituel", " ", "Équipe"}}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	if p.Title != "Réunion" || p.Summary != "Dix minutes" || strings.Join(p.Tags, "|") != "rituel|équipe" {
		t.Errorf("normalized %+v", p)
	}
	for name, bad := range map[string]relais.NewPractice{
		"no title":     {Summary: "s"},
		"no summary":   {Title: "t"},
		"long summary": {Title: "t", Summary: strings.Repeat("a", 2001)},
		"many tags":    {Title: "t", Summary: "s", Tags: strings.Split("a,b,c,d,e,f,g,h,i,j,k", ",")},
		"comma tag":    {Title: "t", Summary: "s", Tags: []string{"a,b"}},
		"long tag":     {Title: "t", Summary: "s", Tags: []string{strings.Repeat("a", 41)}},
	} {
		if err := bad.Validate(); relais.ErrorCode(err) != relais.EINVALID {
			t.Errorf("%s: %v", name, err)
		}
	}
	if got := relais.SplitTags(" a, ,b ,"); strings.Join(got, "|") != "a|b" {
		t.Errorf("SplitTags %q", got)
	}
}
