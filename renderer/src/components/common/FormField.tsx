/**
 * A labelled form control with an optional hint and an error message. The error is linked to
 * the control (aria-describedby, aria-invalid) and carries the test hooks the e2e tests use.
 */
import { cloneElement, isValidElement, type ReactElement, type ReactNode } from 'react';
import './forms.css';

interface FormFieldProps {
  /** The control's DOM id (the label points at it). */
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  /** The field's id in error messages (data-field). */
  field: string;
  /** The error element's test id. */
  errorTestId: string;
  className?: string;
  children: ReactElement<Record<string, unknown>>;
}

export function FormField({ id, label, hint, error, field, errorTestId, className, children }: FormFieldProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  const control = isValidElement(children)
    ? cloneElement(children, { id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy })
    : children;
  return (
    <div className={`field${error ? ' field-invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {control}
      {error && (
        <p className="field-error" id={errorId} data-testid={errorTestId} data-field={field} role="alert">
          {error}
        </p>
      )}
      {hint && (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      )}
    </div>
  );
}

/** A checkbox with its label to the right and an optional hint below. */
export function CheckboxField({
  id,
  label,
  hint,
  checked,
  disabled,
  testId,
  onChange,
}: {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  checked: boolean;
  disabled?: boolean;
  testId?: string;
  onChange(checked: boolean): void;
}) {
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div className={`field field-checkbox${disabled ? ' field-disabled' : ''}`}>
      <label className="checkbox-label" htmlFor={id}>
        <input
          id={id}
          type="checkbox"
          className="checkbox"
          data-testid={testId}
          checked={checked}
          disabled={disabled}
          aria-describedby={hintId}
          onChange={(event) => onChange(event.target.checked)}
        />
        <span>{label}</span>
      </label>
      {hint && (
        <p className="field-hint field-hint-indented" id={hintId}>
          {hint}
        </p>
      )}
    </div>
  );
}
