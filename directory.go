package relais

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"net/mail"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// DirectoryColumns are the columns of a directory CSV file, in the order
// shared/API.md gives them. A file may order them differently; it must
// hold each of them once, and no other.
var DirectoryColumns = []string{"login", "name", "email", "unit", "team", "manages", "employment", "site", "job_family"}

// MaxDirectoryLines bounds the lines of one directory file.
const MaxDirectoryLines = 200000

// DirectoryRow is one person of a directory file: their account, the team
// they belong to and the team they lead (empty: none).
type DirectoryRow struct {
	// Line is the line of the file the row starts on (the header is line 1).
	Line       int
	Login      string
	Name       string
	Email      string
	Unit       string
	Team       string
	Manages    string
	Employment Employment
	Site       string
	JobFamily  string
}

var loginPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._@+-]{0,99}$`)

// ValidLogin reports whether login is a login the directory accepts: 1 to
// 100 letters, digits and . _ @ + -, starting with a letter or a digit.
func ValidLogin(login string) bool { return loginPattern.MatchString(login) }

// ValidEmail reports whether email is a plain address (local@domain, no
// display name), at most 254 characters.
func ValidEmail(email string) bool {
	if len(email) > 254 || strings.ContainsAny(email, " <>\t") {
		return false
	}
	a, err := mail.ParseAddress(email)
	return err == nil && a.Address == email && a.Name == "" && strings.Contains(email[strings.LastIndexByte(email, '@')+1:], ".")
}

// Validate trims the row's fields and checks them; the error names the
// field at fault, in French and English.
func (r *DirectoryRow) Validate() *Error {
	for _, f := range []*string{&r.Login, &r.Name, &r.Email, &r.Unit, &r.Team, &r.Manages, &r.Site, &r.JobFamily} {
		*f = strings.TrimSpace(*f)
	}
	r.Employment = Employment(strings.ToLower(strings.TrimSpace(string(r.Employment))))
	fields := []struct {
		name  string
		value string
	}{{"login", r.Login}, {"name", r.Name}, {"email", r.Email}, {"unit", r.Unit}, {"team", r.Team}, {"manages", r.Manages},
		{"employment", string(r.Employment)}, {"site", r.Site}, {"job_family", r.JobFamily}}
	for _, f := range fields {
		if !ValidText(f.value) {
			return &Error{Code: EINVALID, Field: f.name,
				Message:   "The column " + f.name + " holds an invalid character (NUL).",
				MessageFR: "La colonne " + f.name + " contient des caractères invalides (NUL ou caractère de contrôle)."}
		}
		if utf8.RuneCountInString(f.value) > MaxName {
			return &Error{Code: EINVALID, Field: f.name,
				Message:   "The column " + f.name + " is longer than 120 characters.",
				MessageFR: "La colonne " + f.name + " dépasse 120 caractères."}
		}
	}
	switch {
	case r.Login == "":
		return &Error{Code: EINVALID, Field: "login", Message: "The login is empty.", MessageFR: "L'identifiant (login) est vide."}
	case !ValidLogin(r.Login):
		return &Error{Code: EINVALID, Field: "login",
			Message:   "The login " + quote(r.Login) + " is not valid: use letters, digits and . _ @ + - only, starting with a letter or a digit.",
			MessageFR: "L'identifiant " + quote(r.Login) + " n'est pas valide : lettres, chiffres et . _ @ + - seulement, en commençant par une lettre ou un chiffre."}
	case r.Name == "":
		return &Error{Code: EINVALID, Field: "name", Message: "The name is empty.", MessageFR: "Le nom (name) est vide."}
	case r.Email != "" && !ValidEmail(r.Email):
		return &Error{Code: EINVALID, Field: "email",
			Message:   "The e-mail address " + quote(r.Email) + " is not valid.",
			MessageFR: "L'adresse e-mail " + quote(r.Email) + " n'est pas valide."}
	case r.Employment == "":
		return &Error{Code: EINVALID, Field: "employment",
			Message:   "The employment is empty: write internal or external.",
			MessageFR: "La colonne employment est vide : indiquez internal ou external."}
	case !r.Employment.Valid():
		return &Error{Code: EINVALID, Field: "employment",
			Message:   "The employment " + quote(string(r.Employment)) + " is unknown: write internal or external.",
			MessageFR: "La valeur " + quote(string(r.Employment)) + " de la colonne employment est inconnue : indiquez internal ou external."}
	}
	return nil
}

// LineOutcome is what an import did with one line of a directory file.
type LineOutcome string

// Line outcomes.
const (
	LineCreated   LineOutcome = "created"
	LineChanged   LineOutcome = "changed"
	LineUnchanged LineOutcome = "unchanged"
	LineRefused   LineOutcome = "refused"
)

// Why a line of a directory file is refused.
const (
	RefuseColumns          = "columns"           // not as many fields as the header
	RefuseSyntax           = "syntax"            // a CSV syntax error (a stray quote)
	RefuseEncoding         = "encoding"          // not UTF-8
	RefuseInvalid          = "invalid"           // a field fails validation
	RefuseDuplicateLogin   = "duplicate_login"   // the login is on several lines (in any case)
	RefuseLookalikeLogin   = "lookalike_login"   // a new login looks like another (pauI beside paul)
	RefuseDuplicateManager = "duplicate_manager" // several lines lead the same team
	RefuseDuplicateEmail   = "duplicate_email"   // the address belongs to someone else
	RefuseNoManager        = "no_manager"        // the team has no manager, in the file or the directory
	RefuseCycle            = "cycle"             // the person is on a management cycle
)

// ImportLine is the outcome of one line of a directory file.
type ImportLine struct {
	Line    int         `json:"line"`
	Login   string      `json:"login,omitempty"`
	Outcome LineOutcome `json:"outcome"`
	// Fields are the fields a changed line changed: name, email, unit,
	// team, manages, employment, site, job_family, active.
	Fields []string `json:"fields,omitempty"`
	// Reason is the code of a refusal (Refuse…); Message and MessageFR say
	// it in words.
	Reason    string `json:"reason,omitempty"`
	Message   string `json:"-"`
	MessageFR string `json:"-"`
}

// Localized returns the line's message in lang ("fr" or "en").
func (l ImportLine) Localized(lang string) string {
	if lang == "fr" && l.MessageFR != "" {
		return l.MessageFR
	}
	return l.Message
}

// ImportReport is what an import of the directory did, line by line.
type ImportReport struct {
	Lines     []ImportLine `json:"lines"`
	Created   int          `json:"created"`
	Changed   int          `json:"changed"`
	Unchanged int          `json:"unchanged"`
	Refused   int          `json:"refused"`
	// TeamsCreated are the teams the import created, each with its closed
	// team space; SpacesCreated names every team space it created (also
	// for teams that existed without one).
	TeamsCreated  []string `json:"teams_created"`
	SpacesCreated []string `json:"spaces_created"`
	// Deactivated are the logins deactivated because the file no longer
	// lists them (only when asked to).
	Deactivated []string `json:"deactivated"`
	// DryRun is true when nothing was written: the report says what an
	// import would do.
	DryRun bool `json:"dry_run"`
}

// Count fills the totals from the lines, sorted by line number.
func (r *ImportReport) Count() {
	slices.SortStableFunc(r.Lines, func(a, b ImportLine) int { return a.Line - b.Line })
	r.Created, r.Changed, r.Unchanged, r.Refused = 0, 0, 0, 0
	for _, l := range r.Lines {
		switch l.Outcome {
		case LineCreated:
			r.Created++
		case LineChanged:
			r.Changed++
		case LineUnchanged:
			r.Unchanged++
		case LineRefused:
			r.Refused++
		}
	}
}

// Refusal returns the refused outcome of a line.
func Refusal(line int, login, reason, en, fr string) ImportLine {
	return ImportLine{Line: line, Login: login, Outcome: LineRefused, Reason: reason, Message: en, MessageFR: fr}
}

// ParseDirectory reads a directory file held in memory: see ReadDirectory.
func ParseDirectory(data []byte) ([]DirectoryRow, []ImportLine, error) {
	return ReadDirectory(bytes.NewReader(data))
}

// ReadDirectory reads a directory file as it arrives: CSV in UTF-8 (a byte
// order mark is skipped), comma- or semicolon-separated (as spreadsheets in
// French save it), with the header of DirectoryColumns in any order. It
// returns the rows that pass validation and the lines it refused, each with
// a precise message. A file that cannot be read at all (empty, not CSV
// UTF-8, a header lacking columns) is an error and nothing is returned; so
// is an error of src itself (a body over its limit, a client gone), which
// is returned as it is for the caller to put in words.
func ReadDirectory(src io.Reader) ([]DirectoryRow, []ImportLine, error) {
	br := bufio.NewReaderSize(src, 64<<10)
	head, err := br.Peek(64 << 10)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, nil, err
	}
	switch {
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}), bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return nil, nil, &Error{Code: EINVALID, Message: "The file is in UTF-16: save it as \"CSV UTF-8\".",
			MessageFR: "Le fichier est en UTF-16 : enregistrez-le au format « CSV UTF-8 »."}
	}
	if bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}) {
		br.Discard(3)
		head = head[3:]
	}
	if len(bytes.TrimSpace(head)) == 0 {
		return nil, nil, &Error{Code: EINVALID, Message: "The file is empty: its first line must be the header " + strings.Join(DirectoryColumns, ",") + ".",
			MessageFR: "Le fichier est vide : sa première ligne doit être l'en-tête " + strings.Join(DirectoryColumns, ",") + "."}
	}
	first, _, _ := bytes.Cut(head, []byte("\n"))
	cr := csv.NewReader(br)
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		if readFailed(err) {
			return nil, nil, err
		}
		return nil, nil, &Error{Code: EINVALID, Message: "The header (line 1) cannot be read as CSV: " + csvProblem(err) + ".",
			MessageFR: "L'en-tête (ligne 1) n'est pas du CSV lisible : " + csvProblemFR(err) + "."}
	}
	index, herr := directoryHeader(header)
	if herr != nil {
		return nil, nil, herr
	}
	var rows []DirectoryRow
	var refused []ImportLine
	for n := 0; ; n++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if readFailed(err) {
			return nil, nil, err
		}
		if n >= MaxDirectoryLines {
			return nil, nil, &Error{Code: EINVALID, Message: "The file holds more than " + strconv.Itoa(MaxDirectoryLines) + " lines: split it.",
				MessageFR: "Le fichier dépasse " + strconv.Itoa(MaxDirectoryLines) + " lignes : découpez-le."}
		}
		line := 0
		var perr *csv.ParseError
		if err != nil && errors.As(err, &perr) {
			line = perr.StartLine
		} else if len(rec) > 0 {
			line, _ = cr.FieldPos(0)
		}
		if err != nil && !errors.Is(err, csv.ErrFieldCount) {
			refused = append(refused, Refusal(line, "", RefuseSyntax,
				"Line "+strconv.Itoa(line)+" is not valid CSV: "+csvProblem(err)+".",
				"La ligne "+strconv.Itoa(line)+" n'est pas du CSV valide : "+csvProblemFR(err)+"."))
			continue
		}
		login := ""
		if i := index["login"]; i < len(rec) {
			login = strings.TrimSpace(rec[i])
			if !utf8.ValidString(login) || len(login) > 100 {
				login = ""
			}
		}
		if len(rec) != len(header) {
			refused = append(refused, Refusal(line, login, RefuseColumns,
				"Line "+strconv.Itoa(line)+" has "+strconv.Itoa(len(rec))+" fields; the header has "+strconv.Itoa(len(header))+
					" ("+strings.Join(DirectoryColumns, ",")+"). A comma inside a field needs double quotes around the field.",
				"La ligne "+strconv.Itoa(line)+" a "+strconv.Itoa(len(rec))+" champs ; l'en-tête en a "+strconv.Itoa(len(header))+
					" ("+strings.Join(DirectoryColumns, ",")+"). Une virgule dans un champ impose des guillemets autour du champ."))
			continue
		}
		if bad := invalidUTF8Column(header, rec); bad != "" {
			refused = append(refused, Refusal(line, login, RefuseEncoding,
				"Line "+strconv.Itoa(line)+" is not UTF-8 (column "+bad+"): save the file as \"CSV UTF-8\"; Latin-1 and Windows-1252 files are refused.",
				"La ligne "+strconv.Itoa(line)+" n'est pas en UTF-8 (colonne "+bad+") : enregistrez le fichier au format « CSV UTF-8 » ; les fichiers Latin-1 et Windows-1252 sont refusés."))
			continue
		}
		row := DirectoryRow{Line: line, Login: rec[index["login"]], Name: rec[index["name"]], Email: rec[index["email"]],
			Unit: rec[index["unit"]], Team: rec[index["team"]], Manages: rec[index["manages"]],
			Employment: Employment(rec[index["employment"]]), Site: rec[index["site"]], JobFamily: rec[index["job_family"]]}
		if e := row.Validate(); e != nil {
			refused = append(refused, Refusal(line, row.Login, RefuseInvalid,
				"Line "+strconv.Itoa(line)+": "+e.Message, "Ligne "+strconv.Itoa(line)+" : "+e.MessageFR))
			continue
		}
		rows = append(rows, row)
	}
	return rows, refused, nil
}

// readFailed reports whether a CSV reader's error comes from the source
// rather than from the text: the source is then unusable.
func readFailed(err error) bool {
	var perr *csv.ParseError
	return err != nil && err != io.EOF && !errors.As(err, &perr) && !errors.Is(err, csv.ErrFieldCount)
}

// directoryHeader checks the header and returns the index of each column.
func directoryHeader(header []string) (map[string]int, *Error) {
	index := map[string]int{}
	var unknown, twice []string
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if !utf8.ValidString(h) {
			return nil, &Error{Code: EINVALID, Message: "The header (line 1) is not UTF-8: save the file as \"CSV UTF-8\".",
				MessageFR: "L'en-tête (ligne 1) n'est pas en UTF-8 : enregistrez le fichier au format « CSV UTF-8 »."}
		}
		if !slices.Contains(DirectoryColumns, h) {
			unknown = append(unknown, quote(h))
		} else if _, dup := index[h]; dup {
			twice = append(twice, h)
		} else {
			index[h] = i
		}
	}
	var missing []string
	for _, c := range DirectoryColumns {
		if _, ok := index[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) == 0 && len(unknown) == 0 && len(twice) == 0 {
		return index, nil
	}
	var en, fr []string
	if len(missing) > 0 {
		en = append(en, "missing column(s) "+strings.Join(missing, ", "))
		fr = append(fr, "colonne(s) manquante(s) "+strings.Join(missing, ", "))
	}
	if len(unknown) > 0 {
		en = append(en, "unknown column(s) "+strings.Join(unknown, ", "))
		fr = append(fr, "colonne(s) inconnue(s) "+strings.Join(unknown, ", "))
	}
	if len(twice) > 0 {
		en = append(en, "column(s) given twice "+strings.Join(twice, ", "))
		fr = append(fr, "colonne(s) en double "+strings.Join(twice, ", "))
	}
	want := strings.Join(DirectoryColumns, ",")
	return nil, &Error{Code: EINVALID, Field: "header",
		Message:   "The header (line 1) is not the directory's: " + strings.Join(en, "; ") + ". Expected: " + want + ". Nothing was imported.",
		MessageFR: "L'en-tête (ligne 1) n'est pas celui de l'annuaire : " + strings.Join(fr, " ; ") + ". Attendu : " + want + ". Rien n'a été importé."}
}

func invalidUTF8Column(header, rec []string) string {
	for i, f := range rec {
		if !utf8.ValidString(f) {
			return strings.ToLower(strings.TrimSpace(header[i]))
		}
	}
	return ""
}

func csvProblem(err error) string {
	switch {
	case errors.Is(err, csv.ErrBareQuote):
		return "a double quote inside a field that is not quoted (write \"\" inside a quoted field)"
	case errors.Is(err, csv.ErrQuote):
		return "a quoted field is not closed, or text follows its closing quote"
	}
	return "unreadable"
}

func csvProblemFR(err error) string {
	switch {
	case errors.Is(err, csv.ErrBareQuote):
		return "un guillemet dans un champ qui n'est pas entre guillemets (écrivez \"\" dans un champ entre guillemets)"
	case errors.Is(err, csv.ErrQuote):
		return "un champ entre guillemets n'est pas refermé, ou du texte suit son guillemet fermant"
	}
	return "illisible"
}

// Audited directory actions.
const (
	AuditDirectoryImport = "directory.import"
	AuditUserProvisioned = "user.provisioned"
	AuditUserUpdated     = "user.updated"
	AuditUserDeactivated = "user.deactivated"
	// AuditUserLoginConflict records, when logins became unique without
	// regard to case, an account whose login an older one held in another
	// case (it can no longer be found by login), or that looks like an
	// older one's.
	AuditUserLoginConflict = "user.login_conflict"
	AuditTeamProvisioned   = "team.provisioned"
	AuditTeamUpdated       = "team.updated"
	AuditTeamDeleted       = "team.deleted"
)

// TeamSpace returns the closed space of a team: its manager owns it and
// its members are the team's, from the directory.
func TeamSpace(team string, teamID int64) *Space {
	return &Space{Name: team, Kind: SpaceTeam, Audience: AudienceInternal, JoinPolicy: JoinDirectory, Flow: InTheFlow, TeamID: teamID,
		Description: "L'espace de travail de l'équipe " + team + " : priorités, entraide, décisions. / The workspace of the team " + team + "."}
}

// DefaultTeamCharter is the first charter of a team space the directory
// creates; its manager rewrites it as they see fit.
func DefaultTeamCharter(team string) *Charter {
	return &Charter{
		Objective: "Coordonner le travail de l'équipe " + team + " : priorités, entraide, solutions et décisions. " +
			"/ Coordinate the work of the team " + team + ": priorities, mutual help, solutions and decisions.",
		Rules: "On reste factuel et bienveillant ; ce qui se dit dans l'équipe reste dans l'équipe. " +
			"/ Stay factual and kind; what is said in the team stays in the team.",
		Autonomy: "Chacun propose et répond ; le manager arbitre les priorités et peut modifier cette charte. " +
			"/ Everyone proposes and answers; the manager settles priorities and may rewrite this charter.",
		ExpectedActions: "Partager ses priorités, signaler ce qui bloque, noter les décisions et les solutions trouvées. " +
			"/ Share your priorities, say what blocks you, record decisions and the solutions found.",
	}
}
