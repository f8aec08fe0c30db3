package api

import (
	"errors"
	"io"
	"net/http"
	"strconv"

	"relais"
	"relais/app"
)

// MaxDirectoryBody is the largest directory file the API accepts, in bytes.
const MaxDirectoryBody = 32 << 20

// directoryRoutes are the routes of the directory: the CSV import.
func (s *Server) directoryRoutes() []Route {
	return []Route{
		{Method: "POST", Path: "/api/v1/directory/import", Query: []string{"deactivate_missing", "dry_run"}, Auth: true,
			Summary: "Import the directory from a CSV file (administrator): login,name,email,unit,team,manages,employment,site,job_family. " +
				"Idempotent; reports line by line what it created, changed (which fields), left unchanged or refused (and why), applying the good lines. " +
				"deactivate_missing=true deactivates the accounts an earlier CSV import manages that the file no longer lists; dry_run=true writes nothing.",
			Request: "DirectoryCSV", Response: "ImportReport", Status: 200, handle: s.importDirectory},
	}
}

func init() {
	schemas["DirectoryCSV"] = map[string]any{"type": "string", "contentMediaType": "text/csv",
		"description": "UTF-8 CSV (comma or semicolon) whose header holds login,name,email,unit,team,manages,employment,site,job_family in any order; at most 32 MiB"}
	schemas["ImportLine"] = obj([]string{"line", "outcome"}, map[string]any{
		"line":    map[string]any{"type": "integer", "description": "the line of the file (the header is line 1)"},
		"login":   str,
		"outcome": enum("created", "changed", "unchanged", "refused"),
		"fields": map[string]any{"type": "array", "items": enum("name", "email", "unit", "team", "manages", "employment", "site", "job_family", "active"),
			"description": "what a changed line changed"},
		"reason": map[string]any{"type": "string", "enum": []string{relais.RefuseColumns, relais.RefuseSyntax, relais.RefuseEncoding, relais.RefuseInvalid,
			relais.RefuseDuplicateLogin, relais.RefuseLookalikeLogin, relais.RefuseDuplicateManager, relais.RefuseDuplicateEmail, relais.RefuseNoManager, relais.RefuseCycle},
			"description": "why a line is refused"},
		"message": map[string]any{"type": "string", "description": "the refusal in words (Accept-Language: French or English)"}})
	schemas["ImportReport"] = obj([]string{"lines", "created", "changed", "unchanged", "refused", "teams_created", "spaces_created", "deactivated", "dry_run"},
		map[string]any{"lines": array(ref("ImportLine")), "created": integer, "changed": integer, "unchanged": integer, "refused": integer,
			"teams_created": array(str), "spaces_created": array(str), "deactivated": array(str), "dry_run": boolean})
	queryParamSchema["deactivate_missing"] = map[string]any{"type": "boolean", "default": false,
		"description": "deactivate the CSV-managed accounts the file does not list"}
	queryParamSchema["dry_run"] = map[string]any{"type": "boolean", "default": false, "description": "report what the import would do, and write nothing"}
}

// importLineView is a line of the report, its message in the caller's
// language.
type importLineView struct {
	relais.ImportLine
	Message string `json:"message,omitempty"`
}

type importReportView struct {
	*relais.ImportReport
	Lines []importLineView `json:"lines"`
}

// NewImportReportView returns the JSON form of a report, its messages in
// lang.
func newImportReportView(rep *relais.ImportReport, lang string) importReportView {
	v := importReportView{ImportReport: rep, Lines: make([]importLineView, len(rep.Lines))}
	for i, l := range rep.Lines {
		v.Lines[i] = importLineView{ImportLine: l, Message: l.Localized(lang)}
	}
	return v
}

func (s *Server) importDirectory(w http.ResponseWriter, r *http.Request, u *relais.User) error {
	var opt app.ImportOptions
	var err error
	if opt.DeactivateMissing, err = queryBool(r, "deactivate_missing"); err != nil {
		return err
	}
	if opt.DryRun, err = queryBool(r, "dry_run"); err != nil {
		return err
	}
	// The service decides the rule before it reads a byte of the body,
	// then parses the file as it arrives.
	body := &bodyReader{r: http.MaxBytesReader(w, r.Body, MaxDirectoryBody)}
	rep, err := s.App.ImportDirectory(r.Context(), u, body, opt)
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(body.err, &tooBig):
		return &relais.Error{Code: relais.ETOOLARGE, Message: "The file is larger than 32 MiB: split it.", MessageFR: "Le fichier dépasse 32 Mio : découpez-le."}
	case body.err != nil:
		return &relais.Error{Code: relais.EINVALID, Message: "The body could not be read.", MessageFR: "Le corps n'a pas pu être lu."}
	case err != nil:
		return err
	}
	writeJSON(w, http.StatusOK, newImportReportView(rep, langOf(r)))
	return nil
}

// bodyReader reads a request body and keeps the error of the reading, so
// that a body too large or cut short is told apart from what the service
// answers about its content.
type bodyReader struct {
	r   io.Reader
	err error
}

func (b *bodyReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err != nil && err != io.EOF && b.err == nil {
		b.err = err
	}
	return n, err
}

// queryBool parses an optional boolean query parameter (false when absent).
func queryBool(r *http.Request, name string) (bool, error) {
	raw := r.URL.Query().Get(name)
	if raw == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(raw)
	if err != nil {
		return false, &relais.Error{Code: relais.EINVALID, Field: name, Message: "The parameter " + strconv.Quote(name) + " must be true or false.",
			MessageFR: "Le paramètre " + strconv.Quote(name) + " doit valoir true ou false."}
	}
	return b, nil
}
