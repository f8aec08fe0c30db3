package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"relais"
	"relais/store"
)

// The directory import.
//
// A directory file lists people, one a line: login, name, email, unit, the
// team they belong to and the team they lead (manages). Importing it makes
// the accounts and teams match the file, line by line, and reports what
// each line did: created, changed (which fields), unchanged, or refused
// with a precise message. The good lines are applied even when others are
// refused; importing the same file twice changes nothing the second time.
//
// Logins are compared by their key (relais.LoginKey): a line "PAUL" is
// the line of the account "paul", whose login keeps the spelling the
// directory holds.
//
// What the file says of a person replaces what the directory held: their
// only team is the one of the team column (empty: none), and they lead
// exactly the team of the manages column (empty: none). Someone who leaves
// a team loses its team space at once (access is computed from team
// membership); their posts stay. A team named for the first time is created
// with its closed team space, owned by its manager, with a default charter.
//
// A line is refused when:
//   - it is not valid CSV, not UTF-8, has too few or too many fields, or a
//     field fails validation (empty login or name, bad e-mail, employment
//     other than internal or external);
//   - its login is on another line too, in any case (every such line is
//     refused: which one is right cannot be guessed);
//   - it creates an account whose login looks like another's — an
//     account's of the directory or another new line's (pauI, pau1 beside
//     paul: relais.LoginSkeleton); every such new line is refused;
//   - it leads a team another line leads too (both are refused);
//   - its e-mail address is another person's (in the file or the directory);
//   - its team has no manager: no line of the file leads it and the
//     directory knows no active manager for it who stays so;
//   - the person is on a management cycle. A person reports to the manager
//     of the team they belong to (leading one's own team and belonging to it
//     is not reporting). A cycle is a chain of reporting that comes back to
//     where it started: a is in a team led by b, b is in a team led by a
//     (or through more people). A hierarchy cannot loop: every line of the
//     file on the cycle is refused, and then the lines of the people whose
//     team is left without manager.
//
// Refusals are decided on the state the import would leave (the file over
// the directory), again and again until no more line is refused, so that a
// refusal's consequences are refused too and nothing half-consistent is
// written.
//
// The import never deactivates anyone unless asked to (DeactivateMissing):
// then the accounts an earlier CSV import created or updated, that the file
// no longer lists at all, are deactivated (they can no longer sign in,
// their sessions and tokens end); accounts made by hand, by SCIM or by the
// demo are never touched, nor the account importing. A deactivated or
// SCIM-deleted account listed again by a file is reactivated (field
// "active").

// ImportOptions tune a directory import.
type ImportOptions struct {
	// DeactivateMissing deactivates the CSV-managed accounts the file does
	// not list.
	DeactivateMissing bool
	// DryRun reports what the import would do and writes nothing.
	DryRun bool
	// Progress, when set, is called as lines are done, with the number of
	// lines done and the total.
	Progress func(done, total int)
}

// ImportDirectory imports a directory file as an administrator (the
// policy's directory.admin rule). The rule is decided before a byte of the
// file is read, and the file is parsed as it arrives: a refused caller
// costs nothing, and a large file is never held whole in memory.
func (s *Service) ImportDirectory(ctx context.Context, actor *relais.User, file io.Reader, opt ImportOptions) (*relais.ImportReport, error) {
	if err := s.manageDirectory(actor); err != nil {
		return nil, err
	}
	return s.importDirectory(ctx, actor.ID, file, opt)
}

// CanManageDirectory tells whether the actor may import the directory and
// provision it (an internal administrator), with the rule's words if not.
func (s *Service) CanManageDirectory(actor *relais.User) error { return s.manageDirectory(actor) }

// ImportDirectoryFromConsole imports a directory file for the operator of
// the server (relais import directory): whoever holds the database.
func (s *Service) ImportDirectoryFromConsole(ctx context.Context, file io.Reader, opt ImportOptions) (*relais.ImportReport, error) {
	return s.importDirectory(ctx, 0, file, opt)
}

func (s *Service) importDirectory(ctx context.Context, actorID int64, file io.Reader, opt ImportOptions) (*relais.ImportReport, error) {
	rows, refused, err := relais.ReadDirectory(file)
	var known *relais.Error
	if err != nil && !errors.As(err, &known) {
		return nil, fmt.Errorf("read the directory file: %w", err)
	} else if err != nil {
		return nil, err
	}
	state, err := s.Store.DirectoryState(ctx)
	if err != nil {
		return nil, err
	}
	plan, report := PlanImport(rows, refused, state, actorID, opt.DeactivateMissing)
	report.DryRun = opt.DryRun
	total := len(rows) + len(refused)
	waiting := len(plan.People)
	progress := func(done int) {
		if opt.Progress != nil {
			opt.Progress(total-waiting+done, total)
		}
	}
	progress(0)
	if opt.DryRun || !plan.Writes() {
		progress(waiting)
		return report, nil
	}
	applied, err := s.Store.ApplyDirectory(ctx, plan, progress)
	if err != nil {
		return nil, err
	}
	report.TeamsCreated, report.SpacesCreated = nonNil(applied.TeamsCreated), nonNil(applied.SpacesCreated)
	return report, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// planner decides an import: which lines are refused, and what the others
// write.
type planner struct {
	rows     []relais.DirectoryRow
	state    *store.DirectoryState
	accepted []bool
	refused  map[int]relais.ImportLine // by index in rows
}

// PlanImport decides what importing rows does to the directory in state:
// the plan to write and the report, line by line. It is pure: it reads and
// writes nothing.
func PlanImport(rows []relais.DirectoryRow, parseRefused []relais.ImportLine, state *store.DirectoryState, actorID int64, deactivateMissing bool) (*store.DirectoryPlan, *relais.ImportReport) {
	rows = canonicalLogins(rows, state)
	p := &planner{rows: rows, state: state, accepted: make([]bool, len(rows)), refused: map[int]relais.ImportLine{}}
	for i := range rows {
		p.accepted[i] = true
	}
	p.refuseDuplicates()
	p.refuseLookAlikes()
	for p.refuseNoManager() || p.refuseEmails() || p.refuseCycles() {
	}

	report := &relais.ImportReport{Lines: slices.Clone(parseRefused), TeamsCreated: []string{}, SpacesCreated: []string{}, Deactivated: []string{}}
	plan := &store.DirectoryPlan{ActorID: actorID, Managers: map[string]string{}}
	teams := map[string]bool{}
	inFile := p.inFile()
	for i, r := range rows {
		if !p.accepted[i] {
			report.Lines = append(report.Lines, p.refused[i])
			continue
		}
		line := relais.ImportLine{Line: r.Line, Login: r.Login}
		old := state.People[r.Login]
		switch fields := changedFields(old, r); {
		case old == nil:
			line.Outcome = relais.LineCreated
			plan.People = append(plan.People, store.PersonChange{Row: r})
		case len(fields) > 0:
			line.Outcome, line.Fields = relais.LineChanged, fields
			plan.People = append(plan.People, store.PersonChange{ID: old.ID, Row: r})
		default:
			line.Outcome = relais.LineUnchanged
		}
		report.Lines = append(report.Lines, line)
		for _, t := range []string{r.Team, r.Manages} {
			if t != "" && !teams[t] {
				teams[t] = true
				plan.Teams = append(plan.Teams, t)
			}
		}
		// A team this person led and no longer does.
		if old != nil {
			for _, t := range old.Manages {
				if t != r.Manages && !teams[t] {
					teams[t] = true
				}
			}
		}
	}
	leads := p.leads()
	for _, t := range sortedSet(teams) {
		want := p.managerOf(t, inFile, leads)
		cur := state.Teams[t]
		_, curListed := inFile.at("")
		if cur != nil {
			_, curListed = inFile.at(cur.Manager)
		}
		switch {
		case cur == nil || cur.Deleted:
			if want != "" {
				plan.Managers[t] = want
			}
		case want != cur.Manager && (want != "" || curListed):
			plan.Managers[t] = want
		}
		if cur == nil && want != "" {
			report.TeamsCreated = append(report.TeamsCreated, t)
		}
	}
	// Only the teams without a space yet are kept: each gets one.
	plan.Teams = slices.DeleteFunc(plan.Teams, func(t string) bool {
		cur := state.Teams[t]
		return cur != nil && cur.SpaceID != 0
	})
	report.SpacesCreated = append(report.SpacesCreated, plan.Teams...)
	if deactivateMissing {
		listed := map[string]bool{}
		for _, r := range rows {
			listed[relais.LoginKey(r.Login)] = true
		}
		for _, l := range parseRefused {
			listed[relais.LoginKey(l.Login)] = true
		}
		for _, login := range sortedPeople(state) {
			pp := state.People[login]
			if pp.Source == store.SourceCSV && pp.Active && !listed[relais.LoginKey(login)] && pp.ID != actorID {
				plan.Deactivate = append(plan.Deactivate, pp.ID)
				report.Deactivated = append(report.Deactivated, login)
			}
		}
	}
	report.Count()
	if plan.Writes() {
		plan.Summary = "csv: " + strconv.Itoa(report.Created) + " created, " + strconv.Itoa(report.Changed) + " changed, " +
			strconv.Itoa(report.Unchanged) + " unchanged, " + strconv.Itoa(report.Refused) + " refused, " +
			strconv.Itoa(len(report.TeamsCreated)) + " teams created, " + strconv.Itoa(len(report.Deactivated)) + " deactivated"
	}
	return plan, report
}

func sortedSet(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func sortedPeople(state *store.DirectoryState) []string {
	out := make([]string, 0, len(state.People))
	for k := range state.People {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// changedFields lists what a line changes of an account.
func changedFields(old *store.DirectoryPerson, r relais.DirectoryRow) []string {
	if old == nil {
		return nil
	}
	var out []string
	add := func(name string, changed bool) {
		if changed {
			out = append(out, name)
		}
	}
	add("name", old.Name != r.Name)
	add("email", old.Email != r.Email)
	add("unit", old.Unit != r.Unit)
	add("team", !sameSet(old.Teams, r.Team))
	add("manages", !sameSet(old.Manages, r.Manages))
	add("employment", old.Employment != r.Employment)
	add("site", old.Site != r.Site)
	add("job_family", old.JobFamily != r.JobFamily)
	add("active", !old.Active || old.Deleted)
	return out
}

// sameSet reports whether names is exactly {one} ({} when one is empty).
func sameSet(names []string, one string) bool {
	if one == "" {
		return len(names) == 0
	}
	return len(names) == 1 && names[0] == one
}

// inFile returns the index of the accepted line of each login; a login
// without an accepted line is absent (the map answers -1 for it through
// lookup).
func (p *planner) inFile() fileIndex {
	m := fileIndex{}
	for i, r := range p.rows {
		if p.accepted[i] {
			m[r.Login] = i
		}
	}
	return m
}

// fileIndex maps a login to the index of its accepted line.
type fileIndex map[string]int

func (f fileIndex) at(login string) (int, bool) { i, ok := f[login]; return i, ok }

func (p *planner) refuse(i int, reason, en, fr string) {
	p.accepted[i] = false
	p.refused[i] = relais.Refusal(p.rows[i].Line, p.rows[i].Login, reason, en, fr)
}

// lineList lists the line numbers of rows, as "3, 7".
func lineList(p *planner, idx []int) string {
	var out []string
	for _, i := range idx {
		out = append(out, strconv.Itoa(p.rows[i].Line))
	}
	return strings.Join(out, ", ")
}

// canonicalLogins returns rows with the login of each line that names an
// account of the directory in another case spelled as the directory
// spells it.
func canonicalLogins(rows []relais.DirectoryRow, state *store.DirectoryState) []relais.DirectoryRow {
	byKey := map[string]string{}
	for login, pp := range state.People {
		if pp.Key != "" {
			byKey[pp.Key] = login
		}
	}
	rows = slices.Clone(rows)
	for i := range rows {
		if login, ok := byKey[relais.LoginKey(rows[i].Login)]; ok {
			rows[i].Login = login
		}
	}
	return rows
}

// refuseDuplicates refuses every line of a login given twice (in any
// case), then every line leading a team another line leads too.
func (p *planner) refuseDuplicates() {
	byLogin := map[string][]int{}
	var order []string
	for i, r := range p.rows {
		key := relais.LoginKey(r.Login)
		if byLogin[key] == nil {
			order = append(order, key)
		}
		byLogin[key] = append(byLogin[key], i)
	}
	for _, key := range order {
		idx := byLogin[key]
		if len(idx) < 2 {
			continue
		}
		lines := lineList(p, idx)
		var en, fr string
		for _, i := range idx[1:] {
			if p.rows[i].Login != p.rows[idx[0]].Login {
				en, fr = " (logins are compared without regard to case)", " (les identifiants sont comparés sans tenir compte des majuscules)"
			}
		}
		for _, i := range idx {
			login := p.rows[i].Login
			p.refuse(i, relais.RefuseDuplicateLogin,
				"The login «"+login+"» is on lines "+lines+en+": each of them is refused, as which one is right cannot be guessed. Keep one line per person.",
				"L'identifiant «"+login+"» figure aux lignes "+lines+fr+" : chacune est refusée, faute de savoir laquelle est juste. Gardez une ligne par personne.")
		}
	}
	byTeam := map[string][]int{}
	order = order[:0]
	for i, r := range p.rows {
		if !p.accepted[i] || r.Manages == "" {
			continue
		}
		if byTeam[r.Manages] == nil {
			order = append(order, r.Manages)
		}
		byTeam[r.Manages] = append(byTeam[r.Manages], i)
	}
	for _, team := range order {
		idx := byTeam[team]
		if len(idx) < 2 {
			continue
		}
		var who []string
		for _, i := range idx {
			who = append(who, p.rows[i].Login+" ("+strconv.Itoa(p.rows[i].Line)+")")
		}
		for _, i := range idx {
			p.refuse(i, relais.RefuseDuplicateManager,
				"The team «"+team+"» is led by several lines: "+strings.Join(who, ", ")+". A team has one manager: each of these lines is refused.",
				"L'équipe «"+team+"» a plusieurs managers dans le fichier : "+strings.Join(who, ", ")+". Une équipe a un seul manager : chacune de ces lignes est refusée.")
		}
	}
}

// refuseLookAlikes refuses the lines that would create an account whose
// login looks like another's (relais.LoginSkeleton): an account of the
// directory's, or another new line's (each of those is refused).
func (p *planner) refuseLookAlikes() {
	var known map[string]string // skeleton -> a login of the directory
	fresh := map[string][]int{} // skeleton -> new lines
	var order []string
	for i, r := range p.rows {
		if !p.accepted[i] || p.state.People[r.Login] != nil {
			continue
		}
		if known == nil {
			known = map[string]string{}
			for _, login := range sortedPeople(p.state) {
				pp := p.state.People[login]
				if _, ok := known[pp.Skeleton]; !ok && pp.Skeleton != "" {
					known[pp.Skeleton] = login
				}
			}
		}
		skl := relais.LoginSkeleton(r.Login)
		if other, ok := known[skl]; ok {
			p.refuse(i, relais.RefuseLookalikeLogin,
				"Line "+strconv.Itoa(r.Line)+": "+relais.LoginLookAlike(r.Login, other, "login").Message,
				"Ligne "+strconv.Itoa(r.Line)+" : "+relais.LoginLookAlike(r.Login, other, "login").MessageFR)
			continue
		}
		if fresh[skl] == nil {
			order = append(order, skl)
		}
		fresh[skl] = append(fresh[skl], i)
	}
	for _, skl := range order {
		idx := fresh[skl]
		if len(idx) < 2 {
			continue
		}
		var who []string
		for _, i := range idx {
			who = append(who, "«"+p.rows[i].Login+"» ("+strconv.Itoa(p.rows[i].Line)+")")
		}
		for _, i := range idx {
			p.refuse(i, relais.RefuseLookalikeLogin,
				"Line "+strconv.Itoa(p.rows[i].Line)+": the new logins "+strings.Join(who, ", ")+" look like one another (I, l and 1, 0 and O, rn and m are easily taken for one another): each of these lines is refused; choose logins that cannot be mistaken.",
				"Ligne "+strconv.Itoa(p.rows[i].Line)+" : les nouveaux identifiants "+strings.Join(who, ", ")+" se ressemblent (I, l et 1, 0 et O, rn et m se confondent facilement) : chacune de ces lignes est refusée ; choisissez des identifiants qu'on ne puisse pas confondre.")
		}
	}
}

// leads returns the team each accepted line leads.
func (p *planner) leads() map[string]string {
	m := map[string]string{}
	for i, r := range p.rows {
		if p.accepted[i] && r.Manages != "" {
			m[r.Manages] = r.Login
		}
	}
	return m
}

// managerOf returns the login of the manager a team would have after the
// import ("" for none): the accepted line that leads it, or else its
// manager in the directory, when active and not in the file (a manager in
// the file leads what the file says).
func (p *planner) managerOf(team string, inFile fileIndex, leads map[string]string) string {
	if m, ok := leads[team]; ok {
		return m
	}
	if t := p.state.Teams[team]; t != nil && !t.Deleted && t.Manager != "" && t.ManagerActive {
		if _, listed := inFile.at(t.Manager); !listed {
			return t.Manager
		}
	}
	return ""
}

// refuseNoManager refuses the lines whose team would have no manager.
func (p *planner) refuseNoManager() bool {
	inFile, leads := p.inFile(), p.leads()
	refusedLeader := map[string]relais.DirectoryRow{}
	for i, r := range p.rows {
		if !p.accepted[i] && r.Manages != "" {
			if _, ok := refusedLeader[r.Manages]; !ok {
				refusedLeader[r.Manages] = r
			}
		}
	}
	any := false
	for i, r := range p.rows {
		if !p.accepted[i] || r.Team == "" || p.managerOf(r.Team, inFile, leads) != "" {
			continue
		}
		any = true
		team := r.Team
		en := "The team «" + team + "» has no manager: no line of the file leads it (manages=" + team + ") and the directory knows no manager for it. Add its manager's line."
		fr := "L'équipe «" + team + "» n'a pas de manager : aucune ligne du fichier ne la dirige (manages=" + team + ") et l'annuaire ne lui connaît pas de manager. Ajoutez la ligne de son manager."
		t := p.state.Teams[team]
		if m, ok := refusedLeader[team]; ok {
			en = "The team «" + team + "» has no manager: the line of its manager (line " + strconv.Itoa(m.Line) + ", " + m.Login + ") was refused."
			fr = "L'équipe «" + team + "» n'a pas de manager : la ligne de son manager (ligne " + strconv.Itoa(m.Line) + ", " + m.Login + ") a été refusée."
		} else if t != nil && !t.Deleted && t.Manager != "" {
			if j, listed := inFile.at(t.Manager); listed {
				en = "The team «" + team + "» has no manager any more: " + t.Manager + " (line " + strconv.Itoa(p.rows[j].Line) + ") no longer leads it, and no line of the file does."
				fr = "L'équipe «" + team + "» n'a plus de manager : " + t.Manager + " (ligne " + strconv.Itoa(p.rows[j].Line) + ") ne la dirige plus, et aucune ligne du fichier ne la dirige."
			} else if !t.ManagerActive {
				en = "The team «" + team + "» has no manager: its manager " + t.Manager + " is deactivated, and no line of the file leads it."
				fr = "L'équipe «" + team + "» n'a pas de manager : son manager " + t.Manager + " est désactivé, et aucune ligne du fichier ne la dirige."
			}
		}
		p.refuse(i, relais.RefuseNoManager, "Line "+strconv.Itoa(r.Line)+": "+en, "Ligne "+strconv.Itoa(r.Line)+" : "+fr)
	}
	return any
}

// refuseEmails refuses the lines whose e-mail address would belong to
// someone else: another line, or an account the file does not change.
func (p *planner) refuseEmails() bool {
	inFile := p.inFile()
	byEmail := map[string][]int{}
	for i, r := range p.rows {
		if p.accepted[i] && r.Email != "" {
			e := strings.ToLower(r.Email)
			byEmail[e] = append(byEmail[e], i)
		}
	}
	dbOwner := map[string]string{}
	for _, login := range sortedPeople(p.state) {
		pp := p.state.People[login]
		if _, listed := inFile.at(login); listed || pp.Deleted || pp.Email == "" {
			continue
		}
		e := strings.ToLower(pp.Email)
		if _, ok := dbOwner[e]; !ok {
			dbOwner[e] = login
		}
	}
	any := false
	for i, r := range p.rows {
		if !p.accepted[i] || r.Email == "" {
			continue
		}
		e := strings.ToLower(r.Email)
		if owner, ok := dbOwner[e]; ok {
			p.refuse(i, relais.RefuseDuplicateEmail,
				"Line "+strconv.Itoa(r.Line)+": the e-mail address "+r.Email+" is already the address of "+owner+" in the directory; an address identifies one person (single sign-on matches it).",
				"Ligne "+strconv.Itoa(r.Line)+" : l'adresse e-mail "+r.Email+" est déjà celle de "+owner+" dans l'annuaire ; une adresse désigne une seule personne (l'authentification unique s'y fie).")
			any = true
			continue
		}
		if idx := byEmail[e]; len(idx) > 1 {
			lines := lineList(p, idx)
			p.refuse(i, relais.RefuseDuplicateEmail,
				"Line "+strconv.Itoa(r.Line)+": the e-mail address "+r.Email+" is on lines "+lines+"; an address identifies one person: each of these lines is refused.",
				"Ligne "+strconv.Itoa(r.Line)+" : l'adresse e-mail "+r.Email+" figure aux lignes "+lines+" ; une adresse désigne une seule personne : chacune de ces lignes est refusée.")
			any = true
		}
	}
	return any
}

// refuseCycles refuses the lines of the people on a management cycle.
func (p *planner) refuseCycles() bool {
	inFile, leads := p.inFile(), p.leads()
	managers := map[string]string{}
	manager := func(team string) string {
		m, ok := managers[team]
		if !ok {
			m = p.managerOf(team, inFile, leads)
			managers[team] = m
		}
		return m
	}
	// edges: person -> (manager, through team)
	type edge struct{ to, team string }
	graph := map[string][]edge{}
	for i, r := range p.rows {
		if p.accepted[i] && r.Team != "" {
			if m := manager(r.Team); m != "" && m != r.Login {
				graph[r.Login] = append(graph[r.Login], edge{m, r.Team})
			}
		}
	}
	for _, login := range sortedPeople(p.state) {
		pp := p.state.People[login]
		if _, listed := inFile.at(login); listed || pp.Deleted {
			continue
		}
		for _, t := range pp.Teams {
			if m := manager(t); m != "" && m != login {
				graph[login] = append(graph[login], edge{m, t})
			}
		}
	}
	var nodes []string
	for n := range graph {
		nodes = append(nodes, n)
	}
	slices.Sort(nodes)
	// Tarjan's strongly connected components.
	index, low := map[string]int{}, map[string]int{}
	onStack := map[string]bool{}
	var stack []string
	var comps [][]string
	next := 0
	var strong func(v string)
	strong = func(v string) {
		index[v], low[v] = next, next
		next++
		stack = append(stack, v)
		onStack[v] = true
		for _, e := range graph[v] {
			if _, seen := index[e.to]; !seen {
				strong(e.to)
				low[v] = min(low[v], low[e.to])
			} else if onStack[e.to] {
				low[v] = min(low[v], index[e.to])
			}
		}
		if low[v] == index[v] {
			var comp []string
			for {
				w := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[w] = false
				comp = append(comp, w)
				if w == v {
					break
				}
			}
			if len(comp) > 1 {
				comps = append(comps, comp)
			}
		}
	}
	for _, v := range nodes {
		if _, seen := index[v]; !seen {
			strong(v)
		}
	}
	any := false
	for _, comp := range comps {
		in := map[string]bool{}
		var start string
		startLine := -1
		for _, v := range comp {
			in[v] = true
			if i, listed := inFile.at(v); listed && (startLine < 0 || p.rows[i].Line < startLine) {
				start, startLine = v, p.rows[i].Line
			}
		}
		if startLine < 0 {
			continue // a cycle the directory already held, that no line touches
		}
		// Walk the cycle from the first line on it.
		var path []string
		var teams []string
		pos := map[string]int{}
		for v := start; ; {
			if k, seen := pos[v]; seen {
				path, teams = append(path[k:], v), teams[k:]
				break
			}
			pos[v] = len(path)
			path = append(path, v)
			for _, e := range graph[v] {
				if in[e.to] {
					teams = append(teams, e.team)
					v = e.to
					break
				}
			}
		}
		var en, fr strings.Builder
		for k := 0; k+1 < len(path); k++ {
			who := path[k]
			if i, listed := inFile.at(who); listed {
				who += " (line " + strconv.Itoa(p.rows[i].Line) + ")"
			}
			if k == 0 {
				en.WriteString(who + " is in the team «" + teams[k] + "» led by " + path[k+1])
				fr.WriteString(strings.Replace(who, "(line", "(ligne", 1) + " est dans l'équipe «" + teams[k] + "» dirigée par " + path[k+1])
			} else {
				en.WriteString(", who is in the team «" + teams[k] + "» led by " + path[k+1])
				fr.WriteString(", qui est dans l'équipe «" + teams[k] + "» dirigée par " + path[k+1])
			}
		}
		for _, v := range comp {
			i, listed := inFile.at(v)
			if !listed {
				continue
			}
			any = true
			p.refuse(i, relais.RefuseCycle,
				"Line "+strconv.Itoa(p.rows[i].Line)+": management cycle: "+en.String()+". A hierarchy cannot loop: every line on the cycle is refused.",
				"Ligne "+strconv.Itoa(p.rows[i].Line)+" : cycle hiérarchique : "+fr.String()+". Une hiérarchie ne peut pas boucler : chaque ligne du cycle est refusée.")
		}
	}
	return any
}
