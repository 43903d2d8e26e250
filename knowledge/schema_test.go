package knowledge

import (
	"bytes"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"reflect"
	"strings"
	"testing"
)

// TestSchema: schema.json, the JSON Schema editors check the YAML files
// with, is the one generated from the Go types (go test -update rewrites
// it).
func TestSchema(t *testing.T) {
	got, err := generateSchema()
	if err != nil {
		t.Fatal(err)
	}
	if updating() {
		if err := os.WriteFile("schema.json", got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile("schema.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("schema.json differs from the Go types: run go test ./knowledge -update")
	}
}

// docs are the doc comments of the package's types and their fields:
// "Town" and "Town.Country".
func docs() (map[string]string, error) {
	out := map[string]string{}
	fset := token.NewFileSet()
	for _, name := range []string{"types.go", "date.go"} {
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		if err != nil {
			return nil, err
		}
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, spec := range gd.Specs {
				ts := spec.(*ast.TypeSpec)
				doc := ts.Doc
				if doc == nil {
					doc = gd.Doc
				}
				out[ts.Name.Name] = commentText(doc)
				st, ok := ts.Type.(*ast.StructType)
				if !ok {
					continue
				}
				for _, f := range st.Fields.List {
					doc := f.Doc
					if doc == nil {
						doc = f.Comment
					}
					for _, n := range f.Names {
						out[ts.Name.Name+"."+n.Name] = commentText(doc)
					}
				}
			}
		}
	}
	return out, nil
}

func commentText(cg *ast.CommentGroup) string {
	if cg == nil {
		return ""
	}
	return strings.Join(strings.Fields(cg.Text()), " ")
}

// generateSchema builds the JSON Schema (draft 2020-12) of a knowledge
// base file from the Go types and the field rules.
func generateSchema() ([]byte, error) {
	d, err := docs()
	if err != nil {
		return nil, err
	}
	g := &schemaGen{docs: d, defs: map[string]any{}}
	root := map[string]any{
		"$schema":     "https://json-schema.org/draft/2020-12/schema",
		"$id":         "https://github.com/twinbot/twinbot/knowledge/schema.json",
		"title":       "twinbot knowledge base file",
		"description": d["File"] + " Generated from knowledge/types.go by go test ./knowledge -update.",
		"$ref":        g.ref(reflect.TypeFor[File]()),
		"$defs":       g.defs,
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(root); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

type schemaGen struct {
	docs map[string]string
	defs map[string]any
}

var (
	textType     = reflect.TypeFor[Text]()
	textListType = reflect.TypeFor[TextList]()
)

// langKeyPattern is what checkLang accepts the shape of.
const langKeyPattern = "^[a-z]{2,3}$"

// ref returns a reference to the definition of a named type, defining it
// on first use.
func (g *schemaGen) ref(t reflect.Type) string {
	ref := "#/$defs/" + t.Name()
	if _, ok := g.defs[t.Name()]; ok {
		return ref
	}
	g.defs[t.Name()] = nil // being defined: a recursive use refers to it
	var def map[string]any
	switch t {
	case textType:
		def = map[string]any{
			"type":                 "object",
			"propertyNames":        map[string]any{"pattern": langKeyPattern},
			"additionalProperties": map[string]any{"type": "string", "minLength": 1},
		}
	case textListType:
		def = map[string]any{
			"type":          "object",
			"propertyNames": map[string]any{"pattern": langKeyPattern},
			"additionalProperties": map[string]any{
				"type": "array", "items": map[string]any{"type": "string", "minLength": 1},
			},
		}
	case dateType:
		def = map[string]any{"anyOf": []any{
			map[string]any{"type": "string", "pattern": dateRE.String()},
			map[string]any{"type": "integer", "minimum": 0, "maximum": 9999},
		}}
	default:
		props := map[string]any{}
		required := []string{}
		for _, f := range yamlFields(t) {
			s := g.schema(t.Field(f.index).Type, f.rule)
			if doc := g.docs[t.Name()+"."+t.Field(f.index).Name]; doc != "" {
				s["description"] = doc
			}
			props[f.name] = s
			if f.required {
				required = append(required, f.name)
			}
		}
		def = map[string]any{"type": "object", "properties": props, "additionalProperties": false}
		if len(required) > 0 {
			def["required"] = required
		}
	}
	if doc := g.docs[t.Name()]; doc != "" {
		def["description"] = doc
	}
	g.defs[t.Name()] = def
	return ref
}

// schema is the schema of a field of type t with rule r.
func (g *schemaGen) schema(t reflect.Type, r rule) map[string]any {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == textType || t == textListType || t == dateType || t.Kind() == reflect.Struct:
		return map[string]any{"$ref": g.ref(t)}
	case t.Kind() == reflect.Slice:
		return map[string]any{"type": "array", "items": g.schema(t.Elem(), r)}
	case t.Kind() == reflect.String:
		s := map[string]any{"type": "string"}
		switch r.kind {
		case ruleID, ruleRef:
			s["pattern"] = idPattern
		case ruleCountry:
			s["pattern"] = "^[A-Z]{2}$"
		case ruleLang:
			s["pattern"] = langKeyPattern
		case ruleURL:
			s["format"] = "uri"
			s["pattern"] = "^https?://"
		case ruleEmail:
			s["format"] = "email"
		case ruleVocab:
			s["enum"] = r.vocab
		}
		return s
	case t.Kind() == reflect.Int:
		s := map[string]any{"type": "integer"}
		if r.kind == ruleNonNeg {
			s["minimum"] = 0
		}
		return s
	case t.Kind() == reflect.Float64:
		s := map[string]any{"type": "number"}
		if r.kind == ruleNonNeg {
			s["minimum"] = 0
		}
		return s
	case t.Kind() == reflect.Bool:
		return map[string]any{"type": "boolean"}
	}
	panic("schema: no schema for " + t.String())
}
