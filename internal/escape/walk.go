package escape

import "reflect"

// Strings returns a deep copy of v (a pointer, struct, slice, map or
// interface value) with every string in it — struct fields, slice elements,
// map keys and values, values held in interfaces — replaced by f(field, s),
// field being the name of the innermost struct field the string is under
// ("" outside any). Writers use it to escape a whole report model once at
// their edge, so no field can be forgotten. Values with unexported fields
// (time.Time, audit.Secret) are copied as they are: they format themselves.
func Strings[T any](v T, f func(field, s string) string) T {
	rv := reflect.ValueOf(&v).Elem()
	out := reflect.New(rv.Type()).Elem()
	copyValue(out, rv, "", f)
	return out.Interface().(T)
}

func copyValue(dst, src reflect.Value, field string, f func(field, s string) string) {
	switch src.Kind() {
	case reflect.String:
		dst.SetString(f(field, src.String()))
	case reflect.Pointer:
		if src.IsNil() {
			return
		}
		p := reflect.New(src.Type().Elem())
		copyValue(p.Elem(), src.Elem(), field, f)
		dst.Set(p)
	case reflect.Interface:
		if src.IsNil() {
			return
		}
		e := src.Elem()
		c := reflect.New(e.Type()).Elem()
		copyValue(c, e, field, f)
		dst.Set(c)
	case reflect.Slice:
		if src.IsNil() {
			return
		}
		s := reflect.MakeSlice(src.Type(), src.Len(), src.Len())
		for i := 0; i < src.Len(); i++ {
			copyValue(s.Index(i), src.Index(i), field, f)
		}
		dst.Set(s)
	case reflect.Array:
		for i := 0; i < src.Len(); i++ {
			copyValue(dst.Index(i), src.Index(i), field, f)
		}
	case reflect.Map:
		if src.IsNil() {
			return
		}
		m := reflect.MakeMapWithSize(src.Type(), src.Len())
		it := src.MapRange()
		for it.Next() {
			k := reflect.New(src.Type().Key()).Elem()
			copyValue(k, it.Key(), field, f)
			val := reflect.New(src.Type().Elem()).Elem()
			copyValue(val, it.Value(), field, f)
			m.SetMapIndex(k, val)
		}
		dst.Set(m)
	case reflect.Struct:
		dst.Set(src) // unexported fields as they are
		t := src.Type()
		for i := 0; i < t.NumField(); i++ {
			if !t.Field(i).IsExported() {
				continue
			}
			copyValue(dst.Field(i), src.Field(i), t.Field(i).Name, f)
		}
	default:
		dst.Set(src)
	}
}
